// A database benchmark's figures on one storage type, and the seed's tuning advice measured:
// the same benchmark with and without the flags, the variants alternating trial by trial so
// that a drift of the machine over the run falls on both alike.
import type { StorageKind } from '../storage/placement.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { type DatabaseBenchmark, databaseTrial, DEFAULTS, type Variant } from './database-bench.ts';
import type { BenchContext } from './fio-bench.ts';
import { figuresOf, judgeTuning, type TuningSpec } from './figures.ts';
import type { PerformancePart } from '../report/performance-part.ts';
import { eachTrial } from './trials.ts';

export async function benchDatabase(
  target: DatabaseTarget,
  benchmark: DatabaseBenchmark,
  kind: StorageKind,
  image: string,
  context: BenchContext,
): Promise<PerformancePart> {
  const results = await eachTrial(context.scope, context.trials, (_, scope) => databaseTrial(target, benchmark, kind, DEFAULTS, image, context, scope));
  const [first] = results;
  return {
    figures: figuresOf(
      benchmark.metrics,
      kind,
      results.map((result) => result.readings),
    ),
    space: [{ storage: kind, subject: `${target.displayName}'s data after ${benchmark.tool} wrote its dataset (trial 1)`, ...first.space }],
    blockIo: [{ storage: kind, subject: `${target.displayName} server during ${benchmark.tool} (trial 1)`, ...first.io }],
  };
}

export interface Tuning {
  spec: TuningSpec;
  variant: Variant;
}

export async function benchTuning(
  target: DatabaseTarget,
  benchmark: DatabaseBenchmark,
  tuning: Tuning,
  image: string,
  context: BenchContext,
): Promise<PerformancePart> {
  const pairs = await eachTrial(context.scope, context.trials, async (_, scope) => {
    const without = await databaseTrial(target, benchmark, 'named-volume', DEFAULTS, image, context, scope);
    const withTuning = await databaseTrial(target, benchmark, 'named-volume', tuning.variant, image, context, scope);
    return { without: without.readings, with: withTuning.readings };
  });
  const values = (side: 'without' | 'with') => pairs.map((pair) => pair[side][tuning.spec.metric.id]).filter((value): value is number => value !== undefined);
  return { tuning: [judgeTuning(tuning.spec, values('without'), values('with'))] };
}
