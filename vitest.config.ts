import { defineConfig } from 'vitest/config';
import { disableReaperUnlessChosen, loadConfig } from './src/config.ts';
import { newRunId } from './src/docker/labels.ts';
import { ClosingLineReporter } from './src/vitest/closing-line-reporter.ts';
import { LongestFirstSequencer } from './src/vitest/longest-first-sequencer.ts';
import { PersistReporter } from './src/vitest/persist-reporter.ts';
import { engineGroup, powerCutProject, scenariosProject } from './src/vitest/scenarios-project.ts';

// One run id for the whole vitest run: every test process has it, and every container, volume and
// folder the scenarios make carries it, so cleanup can find them all and nothing else.
process.env.PERSIST_RUN_ID ||= newRunId();
// The test suite proves each cell once; repeated trials for timings belong to `persist run`.
process.env.PERSIST_TRIALS ||= '1';
// …and runs the benchmarks at their smallest size: full sizes are for `persist run performance`.
process.env.PERSIST_BENCH_SIZE ||= 'quick';
// The suite lets two files that drive the engine run at once (two cores, and most of their time
// is spent waiting on containers), so it stays within its time; `persist run` runs one at a time.
const ENGINE_GROUP = engineGroup(2);
disableReaperUnlessChosen();
// The scenario workers receive their settings as one typed object, the way `persist run`'s runner
// hands them over (vitest's provide/inject), read here once from the environment.
const config = loadConfig();
// A `persist run` that a CLI test starts runs beside the suite's own two engine files: one file at
// a time, or four would share two cores and every file's time would double.
process.env.PERSIST_FILES_AT_ONCE ||= '1';

export default defineConfig({
  test: {
    reporters: ['default', new PersistReporter(config), new ClosingLineReporter()],
    provide: { persistConfig: config },
    // The longest files first, so the two that drive the engine side by side end together.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bin/**/*.test.ts'],
          // Each service's contract test, and the engine code's tests beside it (*.engine.test.ts),
          // run real containers: the images project's.
          exclude: ['src/services/*/contract.test.ts', 'src/**/*.engine.test.ts'],
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
          // and the engine code the drills are built on (stacks, probes, the engine, the Compose copy)
          // on real containers, each test beside its module.
          name: 'images',
          include: ['src/services/*/contract.test.ts', 'src/**/*.engine.test.ts', 'test/images/**/*.test.ts', 'test/stack/**/*.test.ts'],
          retry: 0,
          ...ENGINE_GROUP,
          testTimeout: 5 * 60_000,
          globalSetup: ['src/vitest/global-setup.ts'],
        },
      },
      { test: scenariosProject(2) },
      { test: powerCutProject() },
    ],
  },
});
