import { describe, expect, test } from 'vitest';
import { judgedUpTo } from '../probes/ledger.ts';
import { failAfterMs, lossWindowMs, powerLossMatches, powerLossObserved } from './power-verdict.ts';

const ledger = {
  attempted: [1, 2, 3, 4, 5],
  acknowledged: [
    { id: 1, at: 1_000 },
    { id: 2, at: 1_100 },
    { id: 3, at: 1_200 },
    { id: 4, at: 1_300 },
  ],
  unknown: [5],
};

describe('the power-loss verdict', () => {
  test('writes acknowledged from the cut on are not judged: they become of unknown outcome', () => {
    const { judged, notJudged } = judgedUpTo(ledger, 1_200);
    expect(judged.acknowledged.map((w) => w.id)).toEqual([1, 2]);
    expect(judged.unknown).toEqual([5, 3, 4]);
    expect(notJudged).toBe(2);
    expect(judgedUpTo(ledger, undefined).judged).toBe(ledger);
  });

  test('the loss window reaches back to the earliest lost acknowledgement', () => {
    expect(lossWindowMs(ledger, [1, 3, 4], 1_500)).toBe(400);
    expect(lossWindowMs(ledger, [1, 2, 3, 4], 1_500)).toBeNull();
  });

  test('a server that did not come back lost its writes', () => {
    expect(powerLossObserved({ writes: { lost: 0, unexpected: 0 }, serverStarted: false, recoveredCleanly: false })).toBe('lost');
    expect(powerLossObserved({ writes: { lost: 0, unexpected: 0 }, serverStarted: true, recoveredCleanly: true })).toBe('survives');
    expect(powerLossObserved({ writes: { lost: 0, unexpected: 1 }, serverStarted: true, recoveredCleanly: true })).toBe('lost');
  });

  test('a promise is judged; without one only what no setting allows fails', () => {
    const clean = { serverStarted: true, recoveredCleanly: true };
    expect(powerLossMatches({ ...clean, guaranteed: true, writes: { lost: 1, unexpected: 0 } })).toBe(false);
    expect(powerLossMatches({ ...clean, guaranteed: false, writes: { lost: 9, unexpected: 0 } })).toBe(true);
    expect(powerLossMatches({ ...clean, guaranteed: false, writes: { lost: 0, unexpected: 1 } })).toBe(false);
    expect(powerLossMatches({ serverStarted: false, recoveredCleanly: false, guaranteed: false, writes: { lost: 9, unexpected: 0 } })).toBe(false);
  });

  test('the moment of the failure moves from trial to trial', () => {
    const moments = [1, 2, 3, 4].map(failAfterMs);
    expect(new Set(moments).size).toBe(4);
    for (const ms of moments) expect(ms).toBeGreaterThanOrEqual(800);
  });
});
