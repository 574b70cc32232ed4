// Writers that commit one ledger row per transaction as fast as they can, each on its own
// connection, so that whatever stops the server lands with several commits in flight.
import { checkAcknowledged, mergeLedgers, startLedgerLoop, type LedgerLog } from './ledger.ts';
import type { AcknowledgedWrites } from '../report/model.ts';
import type { DatabaseConnection } from '../stack/database-target.ts';
import { stopwatch } from '../timing/clock.ts';

/** Ids of writer k start at k × this, so the writers never collide. */
const ID_SPACE = 1_000_000;

export interface WriteLoad {
  /** Stops the writers (each also stops at its first failed write) and closes their connections. */
  stop(): Promise<LedgerLog>;
}

/** Creates the ledger table through `setup`, runs beforeWriters, then starts `writers` writers on new connections. */
export async function startWriteLoad(
  setup: DatabaseConnection,
  connect: () => Promise<DatabaseConnection>,
  writers: number,
  beforeWriters?: () => Promise<unknown>,
): Promise<WriteLoad> {
  await setup.createLedger();
  await beforeWriters?.();
  const connections = await Promise.all(Array.from({ length: writers }, connect));
  const loops = connections.map((connection, k) => startLedgerLoop(k * ID_SPACE + 1, (id) => connection.writeLedger(id), 0));
  return {
    async stop() {
      const ledger = mergeLedgers(...(await Promise.all(loops.map((loop) => loop.stop()))));
      await Promise.all(connections.map((c) => c.close()));
      return ledger;
    },
  };
}

export interface LedgerCount {
  writes: AcknowledgedWrites;
  /** Until the server answered. */
  readyMs: number;
  /** Reading the ledger back. */
  verifiedMs: number;
}

/** After the server came back: waits until it answers, then counts the ledger against what was acknowledged. */
export async function countLedgerWhenReady(connect: () => Promise<DatabaseConnection>, ledger: LedgerLog): Promise<LedgerCount> {
  let clock = stopwatch();
  const reader = await connect();
  const readyMs = clock.ms();
  clock = stopwatch();
  const present = await reader.ledgerIds();
  const verifiedMs = clock.ms();
  await reader.close();
  return { writes: checkAcknowledged(ledger, present), readyMs, verifiedMs };
}
