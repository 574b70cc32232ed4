// The scenarios project, defined once: `npm test` runs it beside the other projects (two files
// that drive the engine at once), `persist run`'s runner runs it alone (one file at a time, so
// the timings it reports never measure one scenario contending with another).
import type { HarnessConfig } from '../config.ts';

export const SCENARIOS_PROJECT = 'scenarios';

/** What the runner hands to every scenario worker (vitest's provide; the scenario kit injects it). */
declare module 'vitest' {
  interface ProvidedContext {
    persistConfig: HarnessConfig;
  }
}

/**
 * The projects that drive the engine share one group: at most engineWorkers of their files at a
 * time. A hook that removes containers waits for their graceful stops, longer when another file
 * keeps the engine busy.
 */
export function engineGroup(engineWorkers: number) {
  return { sequence: { groupOrder: 1 }, maxWorkers: engineWorkers, hookTimeout: 5 * 60_000 };
}

export function scenariosProject(engineWorkers: number) {
  return {
    name: SCENARIOS_PROJECT,
    include: ['scenarios/**/*.test.ts'],
    // A persistence check that passes on retry hides a real bug.
    retry: 0,
    ...engineGroup(engineWorkers),
    testTimeout: 30 * 60_000,
    globalSetup: ['src/vitest/global-setup.ts'],
  };
}
