// Cutting a run into shards: `persist run --shard K/N` runs a deterministic part of the cells,
// so N CI jobs together run each cell exactly once. The parts are cut from vitest's own list of
// tests (a cell is a test), not from files: one scenario file can hold half of a run's time.
import { UsageError } from '../errors.ts';
import type { RunReport } from '../report/model.ts';

export interface Shard {
  index: number;
  count: number;
}

/** A scenario test as vitest collected it: its file (relative to the package) and full name. */
export interface CollectedTest {
  file: string;
  name: string;
}

/** Tests that always land in the same shard, with the time they are expected to take. */
export interface ShardUnit {
  tests: CollectedTest[];
  weight: number;
}

/** A file whose tests are one unit: the performance figures are compared with each other, so they must come from one machine. */
export const WHOLE_FILES: readonly string[] = ['scenarios/performance.test.ts'];

/** Every negative control says so in its name: that is how it finds the cells it belongs with. */
const isControl = (test: CollectedTest) => /negative control/i.test(test.name);

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text} is not a shard: it is K/N, with 1 ≤ K ≤ N.`, 'Use for example `--shard 2/4` in the second of four jobs.');
  }
  return { index, count };
}

/**
 * The units, in collection order. A negative control goes with the cell it follows in its
 * file (its scenario's cells come before its controls), so a shard that proves a guarantee
 * also proves that its check can fail, and every control runs exactly once.
 */
export function unitsOf(tests: readonly CollectedTest[], weightOf: (test: CollectedTest) => number): ShardUnit[] {
  const units: ShardUnit[] = [];
  const lastUnitOfFile = new Map<string, ShardUnit>();
  for (const test of tests) {
    const previous = lastUnitOfFile.get(test.file);
    const joins = previous !== undefined && (WHOLE_FILES.includes(test.file) || isControl(test));
    const unit = joins ? previous : { tests: [], weight: 0 };
    unit.tests.push(test);
    unit.weight += weightOf(test);
    if (!joins) units.push(unit);
    lastUnitOfFile.set(test.file, unit);
  }
  return units;
}

/**
 * Deals the units to `count` shards: the heaviest first, each to the lightest shard so far
 * (ties to the lower index, names break ties between units), so every job computes the same
 * plan from the same list. Each shard keeps its tests in collection order.
 */
export function planShards(units: readonly ShardUnit[], count: number): CollectedTest[][] {
  const order = new Map(units.flatMap((unit) => unit.tests).map((test, position) => [test, position]));
  const byWeight = [...units].sort((a, b) => b.weight - a.weight || keyOf(a.tests[0]!).localeCompare(keyOf(b.tests[0]!)));
  const loads = Array.from({ length: count }, () => ({ weight: 0, tests: [] as CollectedTest[] }));
  for (const unit of byWeight) {
    const lightest = loads.reduce((best, load) => (load.weight < best.weight ? load : best));
    lightest.weight += unit.weight;
    lightest.tests.push(...unit.tests);
  }
  return loads.map((load) => load.tests.sort((a, b) => order.get(a)! - order.get(b)!));
}

export const keyOf = (test: CollectedTest) => `${test.file} > ${test.name}`;

/**
 * Each test's weight from a baseline report: the wall time it took there. A test the baseline
 * did not run weighs the median of those it did (a new cell is assumed typical); without
 * durations in the baseline (a report older than schema 8), every test weighs the same.
 */
export function baselineWeights(baseline: Pick<RunReport, 'tests'>): (test: CollectedTest) => number {
  const durations = new Map((baseline.tests ?? []).map((record) => [keyOf(record), Math.max(1, record.durationMs)]));
  if (durations.size === 0) return () => 1;
  const sorted = [...durations.values()].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return (test) => durations.get(keyOf(test)) ?? median;
}
