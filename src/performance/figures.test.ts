import { describe, expect, test } from 'vitest';
import { figuresOf, judgeThrottle, judgeTuning, throttleLimit } from './figures.ts';
import { METRICS } from './metrics.ts';

const tps = { id: 'pg-shm', target: 'postgres', title: 'PostgreSQL shm', settings: '--shm-size=1g', metric: METRICS.pgbenchTps };

describe('figures over trials', () => {
  test('median, min and max per metric; metrics a trial did not read are left out', () => {
    const [figure, ...rest] = figuresOf([METRICS.seqWrite, METRICS.seqRead], 'tmpfs', [
      { 'fio.seq-write': 300 },
      { 'fio.seq-write': 100 },
      { 'fio.seq-write': 200 },
    ]);
    expect(rest).toEqual([]);
    expect(figure).toMatchObject({ metric: 'fio.seq-write', storage: 'tmpfs', median: 200, min: 100, max: 300, values: [300, 100, 200], unit: 'MiB/s' });
  });
});

describe('a tuning judged against the spread', () => {
  test('trials that do not overlap are beyond the spread, in the direction the metric calls better', () => {
    const result = judgeTuning(tps, [100, 104, 102], [150, 149, 152]);
    expect(result.beyondSpread).toBe(true);
    expect(result.differencePercent).toBe(47.1);
    expect(result.finding).toContain('better, beyond the trial-to-trial spread');
  });

  test('overlapping trials are a difference within the spread: a valid result, not a finding', () => {
    const result = judgeTuning(tps, [100, 110, 90], [105, 95, 101]);
    expect(result.beyondSpread).toBe(false);
    expect(result.finding).toContain('within the trial-to-trial spread');
  });

  test('one trial per variant has no spread: nothing is claimed either way', () => {
    const result = judgeTuning(tps, [100], [200]);
    expect(result.beyondSpread).toBeNull();
    expect(result.spreadPercent).toBeNull();
    expect(result.finding).toContain('no spread');
  });

  test('for a latency, lower is better', () => {
    const result = judgeTuning({ ...tps, metric: METRICS.pgbenchP99 }, [10, 11, 10.5], [20, 21, 22]);
    expect(result.finding).toContain('worse, beyond');
  });
});

describe('the throttle control', () => {
  test('a twentieth of the unthrottled figure, at least 1', () => {
    expect(throttleLimit(22_435)).toBe(1_121);
    expect(throttleLimit(10)).toBe(1);
  });

  test('caught at or under 1.2 × the limit, not caught above (a benchmark that cannot see the throttle)', () => {
    expect(judgeThrottle('/dev/vda', 22_000, 1_100, 1_101).caught).toBe(true);
    expect(judgeThrottle('/dev/vda', 22_000, 1_100, 1_320).caught).toBe(true);
    expect(judgeThrottle('/dev/vda', 22_000, 1_100, 21_000).caught).toBe(false);
  });
});
