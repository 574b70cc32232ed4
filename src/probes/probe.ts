// A probe: how a drill writes known data into a service and reads back what must survive. One
// observation type serves every kind of data: name → present, size, content hash (a table's rows,
// a file's bytes, a command's output).
import { engineTimeMs } from '../timing/engine-time.ts';
import type { LedgerLog } from './ledger.ts';
import type { LedgerCount, WriteLoad } from './write-load.ts';
import type { Fingerprint } from '../data/fingerprint.ts';
import type { Stack } from '../stack/stack.ts';
import { StepTimeoutError } from '../errors.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';

export interface Probe {
  /** The service of the stack it reads and writes. */
  readonly service: string;
  /** What it checks, for the evidence ("10,003 rows in 2 tables", "a file in /data"). */
  readonly describes: string;
  /** Waits until the service answers (a server accepts connections; a container runs). */
  ready(stack: Stack): Promise<void>;
  /** Writes the known data, proves it was written completely, and returns what it read back: the fingerprint before. */
  seed(stack: Stack): Promise<Fingerprint>;
  /** What must survive, as it is now. */
  fingerprint(stack: Stack): Promise<Fingerprint>;
  /** Where the service says it keeps its data, when it can say (a database's data directory). */
  dataDirectory?(stack: Stack): Promise<string>;
  /** The server's own description of itself, when it has one. */
  serverVersion?(stack: Stack): Promise<string>;
  /** Lets go of what ready() holds (a connection) before the service is disrupted. */
  release?(): Promise<void>;
  /** Acknowledged writes, each its own commit: what a kill or a backup must not lose. */
  ledger?: WriteLedger;
}

export interface WriteLedger {
  /**
   * Writers committing one record at a time, each on a connection of its own. beforeWriters runs
   * once the ledger exists, before the first write (the power-loss drill puts it on the disk).
   */
  startWriters(stack: Stack, writers: number, beforeWriters?: () => Promise<unknown>): Promise<WriteLoad>;
  /** Once the service answers again: what it has of the records, against what it acknowledged. */
  count(stack: Stack, log: LedgerLog): Promise<LedgerCount>;
}

/** The observation of something that is not there. */
export const ABSENT = { present: false, rows: 0, contentHash: null } as const;

/**
 * Until the service's container runs. One that exited is not coming back: that is a finding
 * about the data (ContainerExitedError), not a harness error.
 */
export async function untilRunning(stack: Stack, service: string, timeoutMs: number): Promise<void> {
  const deadline = deadlineIn(timeoutMs);
  for (;;) {
    const state = await stack.inspect(service);
    if (state.running) return;
    // It exited once it has a FinishedAt; the engine's zero time means it never did.
    if (engineTimeMs(state.finishedAt) !== undefined) {
      const tail = (await stack.logs(service)).trim().split('\n').slice(-5).join(' | ');
      throw new ContainerExitedError(state.exitCode, tail);
    }
    if (deadline.passed()) throw new StepTimeoutError(`Waiting for ${service} to run`, timeoutMs);
    await sleep(50);
  }
}
