import { describe, expect, test } from 'vitest';
import { checkAcknowledged, evaluateLedger, mergeLedgers, nextLedgerId, startLedgerLoop } from './ledger.ts';
import { sleep } from '../timing/clock.ts';

describe('the acknowledged-write ledger', () => {
  const log = {
    attempted: [1, 2, 3, 4, 5, 6],
    acknowledged: [
      { id: 1, at: 1_000 },
      { id: 2, at: 1_100 },
      { id: 3, at: 1_200 },
      { id: 4, at: 2_000 },
      { id: 5, at: 2_500 },
    ],
    unknown: [6],
  };

  test('writes acknowledged after the backup started are the expected loss, and the window they span is reported', () => {
    const rpo = evaluateLedger(log, [1, 2, 3], 1_500);
    expect(rpo).toEqual({
      acknowledged: 5,
      present: 3,
      missing: 2,
      missingBeforeBackup: 0,
      unexpected: 0,
      recovered: 0,
      windowMs: 500,
      firstMissingAfterBackupStartMs: 500,
    });
  });

  test('a write acknowledged before the backup and missing after the restore is counted against the backup', () => {
    expect(evaluateLedger(log, [1, 3], 1_500).missingBeforeBackup).toBe(1);
  });

  test('ids never attempted are unexpected; unknown outcomes found are recovered', () => {
    const rpo = evaluateLedger(log, [1, 2, 3, 4, 5, 6, 99], 1_500);
    expect(rpo.unexpected).toBe(1);
    expect(rpo.recovered).toBe(1);
    expect(rpo.missing).toBe(0);
    expect(rpo.windowMs).toBeNull();
  });

  test('a writer resumed after a pause continues the numbering', () => {
    expect(nextLedgerId(mergeLedgers(log, { attempted: [7], acknowledged: [], unknown: [] }))).toBe(8);
  });

  test('the loop stops at the first failed write and marks its outcome unknown', async () => {
    const writer = startLedgerLoop(
      10,
      async (id) => {
        if (id === 12) throw new Error('connection lost');
      },
      0,
    );
    await sleep(20);
    const result = await writer.stop();
    expect(result.acknowledged.map((w) => w.id)).toEqual([10, 11]);
    expect(result.unknown).toEqual([12]);
  });

  test('after a kill: lost, unexpected and recovered writes, as a set checker counts them', () => {
    expect(checkAcknowledged(log, [1, 2, 4, 6, 42])).toEqual({ attempted: 6, acknowledged: 5, present: 3, lost: 2, unexpected: 1, recovered: 1 });
  });
});
