// The scenarios project, defined once: `npm test` runs it beside the other projects (two files
// that drive the engine at once); `persist run`'s runner runs the scenarios as many files at once
// as the run says (one for the full measurement, so no timing measures two scenarios contending),
// then the files that measure the machine itself, alone.
import type { HarnessConfig } from '../config.ts';

export const SCENARIOS_PROJECT = 'scenarios';
/** persist run's project for the files that measure the machine (the benchmarks): after the others, one file at a time. */
export const ALONE_PROJECT = 'scenarios-alone';

/** A project whose files are scenarios, so part of the report. */
export function isScenarioProject(name: string): boolean {
  return name === SCENARIOS_PROJECT || name === ALONE_PROJECT;
}

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

/**
 * The files that cut disks' power: a host-wide sync from a file beside them (a file probe's, an
 * image build's) would write a pending cut's disk too, so the suite runs them after every other
 * file that drives the engine, alone (`persist run` runs them in its alone project).
 */
export const POWER_CUT_FILES = ['scenarios/power-loss.test.ts'];

/** The suite's project for the power-cut files: after the engine group, one file at a time. */
export function powerCutProject() {
  return { ...scenariosProject(1), name: ALONE_PROJECT, include: POWER_CUT_FILES, exclude: [], sequence: { groupOrder: 2 } };
}

export function scenariosProject(engineWorkers: number) {
  return {
    name: SCENARIOS_PROJECT,
    include: ['scenarios/**/*.test.ts'],
    exclude: POWER_CUT_FILES,
    // A persistence check that passes on retry hides a real bug.
    retry: 0,
    ...engineGroup(engineWorkers),
    testTimeout: 30 * 60_000,
    globalSetup: ['src/vitest/global-setup.ts'],
  };
}

/** persist run's projects: the scenario files filesAtOnce at a time, then those that run alone. */
export function runProjects(files: { together: string[]; alone: string[] }, filesAtOnce: number) {
  return [
    // The files are named one by one: nothing of them is excluded.
    ...(files.together.length > 0 ? [{ test: { ...scenariosProject(filesAtOnce), include: files.together, exclude: [] } }] : []),
    ...(files.alone.length > 0
      ? [{ test: { ...scenariosProject(1), name: ALONE_PROJECT, include: files.alone, exclude: [], sequence: { groupOrder: 2 } } }]
      : []),
  ];
}
