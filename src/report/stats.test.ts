import { describe, expect, test } from 'vitest';
import { median, percentile, recoveryOf, statsOf, summariseTimings } from './stats.ts';

describe('statistics', () => {
  test('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('median refuses no values rather than inventing one', () => {
    expect(() => median([])).toThrow();
  });

  test('stats say how many trials they rest on', () => {
    expect(statsOf([120, 80, 100])).toEqual({ trials: 3, medianMs: 100, minMs: 80, maxMs: 120 });
    expect(statsOf([])).toBeUndefined();
  });

  test('a 95th percentile only from 5 trials on, and always a measured value', () => {
    expect(statsOf([1, 2, 3, 4])?.p95Ms).toBeUndefined();
    expect(statsOf([5, 1, 4, 2, 3])?.p95Ms).toBe(5);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });

  test('recovery is create + ready + verified, and unknown when a phase is missing', () => {
    expect(recoveryOf({ stop: 500, create: 100, ready: 200.04, verified: 30 })).toBe(330);
    expect(recoveryOf({ stop: 500, create: 100 })).toBeNull();
  });

  test('in a backup drill, recovery includes the restore but not the backup', () => {
    expect(recoveryOf({ backup: 900, restore: 400, create: 100, ready: 200, verified: 30 })).toBe(730);
    expect(recoveryOf({ backup: 900, restore: 400 })).toBeNull();
  });

  test('summaries skip phases no trial measured', () => {
    const summary = summariseTimings([
      { trial: 1, phasesMs: { stop: 10, create: 1, ready: 2, verified: 3 }, recoveryMs: 6 },
      { trial: 2, phasesMs: { stop: 30, create: 1, ready: 4, verified: 3 }, recoveryMs: 8 },
    ]);
    expect(summary.stop).toEqual({ trials: 2, medianMs: 20, minMs: 10, maxMs: 30 });
    expect(summary.recovery?.medianMs).toBe(7);
  });
});
