import { defineConfig } from 'vitest/config';
import { disableReaperUnlessChosen } from './src/config.ts';
import { newRunId } from './src/docker/labels.ts';
import { ClosingLineReporter } from './src/vitest/closing-line-reporter.ts';
import { PersistReporter, SCENARIOS_PROJECT } from './src/vitest/persist-reporter.ts';

// One run id for the whole vitest run: workers inherit it, and every container, volume and
// folder the scenarios make carries it, so cleanup can find them all and nothing else.
process.env.PERSIST_RUN_ID ||= newRunId();
// The test suite proves each cell once; repeated trials for timings belong to `persist run`.
process.env.PERSIST_TRIALS ||= '1';
// …and runs the benchmarks at their smallest size: full sizes are for `persist run performance`.
process.env.PERSIST_BENCH_SIZE ||= 'quick';
// The suite lets two files that drive the engine run at once (two cores, and most of their time
// is spent waiting on containers), so it stays within its time; `persist run` sets 1, so the
// timings it reports never measure one scenario contending with another.
process.env.PERSIST_ENGINE_WORKERS ||= '2';
const engineWorkers = Number(process.env.PERSIST_ENGINE_WORKERS);
/** The projects that drive the engine share one group: at most engineWorkers of their files at a time. A hook
 * that removes containers waits for their graceful stops, longer when another file keeps the engine busy. */
const ENGINE_GROUP = { sequence: { groupOrder: 1 }, maxWorkers: engineWorkers, hookTimeout: 5 * 60_000 };
disableReaperUnlessChosen();

export default defineConfig({
  test: {
    reporters: ['default', new PersistReporter(), new ClosingLineReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          // The persist command end to end: exit codes, messages, cleanup after Ctrl-C.
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          retry: 0,
          ...ENGINE_GROUP,
          testTimeout: 10 * 60_000,
        },
      },
      {
        test: {
          // The rendered reports in real consumers: the HTML in headless chromium.
          name: 'report',
          include: ['test/report/**/*.test.ts'],
          testTimeout: 2 * 60_000,
        },
      },
      {
        test: {
          // The official images' contracts, checked against the selected images (stand-ins too),
          // and the stack and probes the drills are built on, on real containers.
          name: 'images',
          include: ['test/images/**/*.test.ts', 'test/stack/**/*.test.ts'],
          retry: 0,
          ...ENGINE_GROUP,
          testTimeout: 5 * 60_000,
          globalSetup: ['src/vitest/global-setup.ts'],
        },
      },
      {
        test: {
          name: SCENARIOS_PROJECT,
          include: ['scenarios/**/*.test.ts'],
          // A persistence check that passes on retry hides a real bug.
          retry: 0,
          // Under `persist run` scenario files run one after another (PERSIST_ENGINE_WORKERS=1):
          // they share 2 cores, and the timings they report must not measure contention.
          ...ENGINE_GROUP,
          testTimeout: 30 * 60_000,
          globalSetup: ['src/vitest/global-setup.ts'],
        },
      },
    ],
  },
});
