// Each benchmark trial in a scope of its own: its containers, volumes and folders are removed
// before the next trial starts, whatever happened.
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';

export async function eachTrial<T>(scope: RunScope, trials: number, run: (trial: number, scope: RunScope) => Promise<T>): Promise<[T, ...T[]]> {
  const results: T[] = [];
  for (let trial = 1; trial <= trials; trial++) {
    const trialScope = scope.child();
    try {
      results.push(await run(trial, trialScope));
    } finally {
      await trialScope.dispose();
    }
  }
  const [first, ...rest] = results;
  if (first === undefined) throw new HarnessError('The benchmark ran no trial.', 'Run with --trials 1 or more.');
  return [first, ...rest];
}
