// After the failure: does the server come back on what is left, and what does it hold? A server
// that exits or never answers is the finding (a corrupted cluster is what fsync=off allows), not
// a harness error; its log says why.
import { readLogs } from '../docker/containers.ts';
import type { SqlProbe } from '../probes/sql-probe.ts';
import type { HarnessStack } from '../stack/harness-stack.ts';
import { StepTimeoutError } from '../errors.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { stopwatch } from '../timing/clock.ts';

export interface ReadBack {
  started: boolean;
  /** Ledger ids present; none when the server did not come back. */
  present: number[];
  readyMs?: number;
  verifiedMs?: number;
  /** The server's own integrity check, passed; or what it found. */
  integrity?: string;
  integrityProblem?: string;
  /** The last lines of the log, where the server did not come back. */
  logTail: string;
}

export async function readBack(probe: SqlProbe, stack: HarnessStack, service: string): Promise<ReadBack> {
  const clock = stopwatch();
  let connection: Awaited<ReturnType<SqlProbe['connect']>>;
  try {
    connection = await probe.connect(stack);
  } catch (error) {
    if (!(error instanceof ContainerExitedError || error instanceof StepTimeoutError)) throw error;
    const logs = (await readLogs(stack.containerId(service))).trim().split('\n').slice(-4).join(' | ');
    return { started: false, present: [], logTail: logs };
  }
  const readyMs = clock.ms();
  try {
    const reading = stopwatch();
    // A full read of the table: a page the server cannot read is a finding like any other.
    const present = await connection.ledgerIds().catch((error: unknown) => error as Error);
    if (present instanceof Error)
      return { started: true, present: [], readyMs, integrityProblem: `reading the ledger back failed: ${present.message}`, logTail: '' };
    const verifiedMs = reading.ms();
    const checked = await runIntegrityCheck(connection);
    return { started: true, present, readyMs, verifiedMs, ...checked, logTail: '' };
  } finally {
    await connection.close();
  }
}

async function runIntegrityCheck(connection: { checkLedgerIntegrity?(): Promise<string> }): Promise<Pick<ReadBack, 'integrity' | 'integrityProblem'>> {
  if (!connection.checkLedgerIntegrity) return {};
  try {
    return { integrity: await connection.checkLedgerIntegrity() };
  } catch (error) {
    return { integrityProblem: `integrity check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
