import { describe, expect, test } from 'vitest';
import { UsageError } from '../errors.ts';
import { baselineWeights, type CollectedTest, keyOf, parseShard, planShards, unitsOf } from './shard-plan.ts';

const t = (file: string, name: string): CollectedTest => ({ file, name });
const TESTS = [
  t('scenarios/backup.test.ts', 'backup > PostgreSQL: tar'),
  t('scenarios/backup.test.ts', 'backup > MySQL: tar'),
  t('scenarios/backup.test.ts', 'negative controls: broken backups must be reported > a truncated archive'),
  t('scenarios/backup.test.ts', 'negative controls: broken backups must be reported > a wrong path'),
  t('scenarios/tmpfs.test.ts', 'tmpfs > keeps notes'),
  t('scenarios/tmpfs.test.ts', 'tmpfs > negative control: no mounts'),
  t('scenarios/volumes.test.ts', 'volume management > each operation'),
  t('scenarios/performance.test.ts', 'fio > named volume'),
  t('scenarios/performance.test.ts', 'fio > tmpfs'),
];
const one = () => 1;

describe('parseShard', () => {
  test('reads K/N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });
  test.for(['0/4', '5/4', '2', '2/0', 'a/b', '-1/2', '1.5/3'])('refuses %s in one sentence', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });
});

describe('unitsOf', () => {
  test('a control goes with the cell before it in its file; the performance file is one unit', () => {
    const units = unitsOf(TESTS, one).map((unit) => unit.tests.map((test) => test.name));
    expect(units).toEqual([
      ['backup > PostgreSQL: tar'],
      [
        'backup > MySQL: tar',
        'negative controls: broken backups must be reported > a truncated archive',
        'negative controls: broken backups must be reported > a wrong path',
      ],
      ['tmpfs > keeps notes', 'tmpfs > negative control: no mounts'],
      ['volume management > each operation'],
      ['fio > named volume', 'fio > tmpfs'],
    ]);
  });
});

describe('planShards', () => {
  test('every test runs in exactly one shard, in collection order, and the plan does not depend on who computes it', () => {
    const shards = planShards(unitsOf(TESTS, one), 3);
    expect(shards.flat().map(keyOf).sort()).toEqual(TESTS.map(keyOf).sort());
    for (const shard of shards) expect(shard).toEqual([...shard].sort((a, b) => TESTS.indexOf(a) - TESTS.indexOf(b)));
    expect(planShards(unitsOf([...TESTS], one), 3)).toEqual(shards);
  });

  test('by count, the shards differ by at most the largest unit', () => {
    const sizes = planShards(unitsOf(TESTS, one), 2).map((shard) => shard.length);
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(3);
  });

  test('by baseline durations, one long cell gets a shard to itself', () => {
    const tests = [t('a', 'one'), t('a', 'two'), t('a', 'three'), t('b', 'long')];
    const weights = baselineWeights({
      tests: [...tests.map((x) => ({ ...x, durationMs: 1_000, ids: [] })), { ...t('b', 'long'), durationMs: 10_000, ids: [] }],
    });
    const shards = planShards(unitsOf(tests, weights), 2);
    expect(shards.map((shard) => shard.map((x) => x.name))).toEqual([['long'], ['one', 'two', 'three']]);
  });

  test('more shards than units leaves some empty', () => {
    const shards = planShards(unitsOf(TESTS.slice(4, 7), one), 4);
    expect(shards.map((shard) => shard.length).sort()).toEqual([0, 0, 1, 2]);
  });
});

describe('baselineWeights', () => {
  test('a test the baseline did not run weighs the median; a baseline without durations weighs all alike', () => {
    const weights = baselineWeights({
      tests: [
        { file: 'a', name: 'x', durationMs: 100, ids: [] },
        { file: 'a', name: 'y', durationMs: 300, ids: [] },
        { file: 'a', name: 'z', durationMs: 900, ids: [] },
      ],
    });
    expect(weights(t('a', 'y'))).toBe(300);
    expect(weights(t('a', 'new'))).toBe(300);
    expect(baselineWeights({})(t('a', 'x'))).toBe(1);
  });
});
