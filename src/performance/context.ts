// What every benchmark of a run shares: the run's scope, trials and size, and the bench image.
import { scenarioKit } from '../scenario-kit.ts';
import type { BenchContext } from './fio-bench.ts';
import { BENCH_PROFILES } from './sizes.ts';

export function benchmarkContext(): BenchContext {
  const { config, scope } = scenarioKit();
  return { scope, trials: config.trials, profile: BENCH_PROFILES[config.benchSize], benchImage: config.images.bench.reference };
}
