import { defineConfig } from 'vitest/config';
import { disableReaperUnlessChosen } from './src/config.ts';
import { newRunId } from './src/docker/labels.ts';
import { ClosingLineReporter } from './src/report/closing-line-reporter.ts';
import { PersistReporter, SCENARIOS_PROJECT } from './src/report/persist-reporter.ts';

// One run id for the whole vitest run: workers inherit it, and every container, volume and
// folder the scenarios make carries it, so cleanup can find them all and nothing else.
process.env.PERSIST_RUN_ID ||= newRunId();
// The test suite proves each cell once; repeated trials for timings belong to `persist run`.
process.env.PERSIST_TRIALS ||= '1';
// …and runs the benchmarks at their smallest size: full sizes are for `persist run performance`.
process.env.PERSIST_BENCH_SIZE ||= 'quick';
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
          fileParallelism: false,
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
          fileParallelism: false,
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
          // Scenario files run one after another: they share 2 cores, and timings must not
          // measure contention between scenarios.
          fileParallelism: false,
          testTimeout: 30 * 60_000,
          hookTimeout: 5 * 60_000,
          globalSetup: ['src/vitest/global-setup.ts'],
        },
      },
    ],
  },
});
