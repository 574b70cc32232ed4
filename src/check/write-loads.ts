// The write load a kill lands on: writers committing through every seeded database's ledger.
import type { WriteLoad } from '../probes/write-load.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import { sleep } from '../timing/clock.ts';
import type { Seeded } from './check-subjects.ts';

const WRITERS = 2;
const WRITE_BEFORE_KILL_MS = 300;

export async function startWriteLoads(stack: ComposeStack, seeded: Seeded[]): Promise<Array<{ entry: Seeded; load: WriteLoad }>> {
  const loads: Array<{ entry: Seeded; load: WriteLoad }> = [];
  for (const entry of seeded) {
    const ledger = entry.dataset?.probe.ledger;
    if (ledger) loads.push({ entry, load: await ledger.startWriters(stack, WRITERS) });
  }
  if (loads.length > 0) await sleep(WRITE_BEFORE_KILL_MS);
  return loads;
}
