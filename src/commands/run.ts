// `persist run`: checks the engine and images, runs the chosen scenario files through vitest
// (whose reporter writes the report), and turns the report's verdicts into an exit code.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { startVitest } from 'vitest/node';
import { DEFAULT_TRIALS, disableReaperUnlessChosen, loadConfig, parseBenchSize, parseEdits } from '../config.ts';
import { checkEngine, ensureImage } from '../docker/engine.ts';
import { newRunId } from '../docker/labels.ts';
import { ensurePublishedPortsReach } from '../docker/reachability.ts';
import { sweepRun } from '../docker/run-scope.ts';
import { HarnessError, UsageError } from '../errors.ts';
import { loadProcedures } from '../backup/procedure.ts';
import { readReportFile } from '../report/read.ts';
import { progress, progressMode } from '../progress.ts';
import { ClosingLineReporter } from '../vitest/closing-line-reporter.ts';
import { LiveProgressReporter } from '../vitest/live-progress-reporter.ts';
import { exitCodeFor, type Report } from '../report/model.ts';
import { PersistReporter, SCENARIOS_PROJECT } from '../vitest/persist-reporter.ts';
import { prepareOutDir } from '../report/out-dir.ts';
import { defaultOutDir } from '../report/write.ts';
import { selectScenarios } from '../scenarios.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { parseShard } from '../shard/plan.ts';
import { runShard } from '../shard/run-shard.ts';

export interface RunOptions {
  images?: string;
  trials?: string;
  size?: string;
  out?: string;
  procedure?: string;
  edits?: string;
  baseline?: string;
  regressionPercent?: string;
  regressionMs?: string;
  failOnRegression?: boolean;
  shard?: string;
}

export async function runCommand(filters: string[], options: RunOptions): Promise<number> {
  // The scenario workers read their settings from the environment, like `npm test` does.
  const env = process.env;
  if (options.images !== undefined) env.PERSIST_IMAGES = options.images;
  // The test suite defaults to one trial per cell; a run defaults to DEFAULT_TRIALS.
  env.PERSIST_TRIALS = options.trials ?? env.PERSIST_TRIALS ?? String(DEFAULT_TRIALS);
  // One scenario file at a time: the timings a run reports must not measure contention.
  env.PERSIST_ENGINE_WORKERS = '1';
  // Likewise the benchmarks: quick in the suite, full here.
  env.PERSIST_BENCH_SIZE = parseBenchSize(options.size ?? env.PERSIST_BENCH_SIZE);
  // Checked first (the CLI has checked --out already): a run whose report cannot be written is
  // refused before anything starts.
  if (options.out !== undefined) env.PERSIST_OUT = await prepareOutDir(options.out);
  else await prepareOutDir(dirname(defaultOutDir('run')));
  if (options.procedure !== undefined) {
    // Checked here, so a bad file is one sentence before any container starts.
    const path = resolve(options.procedure);
    const procedures = await loadProcedures(path);
    if (filters.length > 0 && !filters.includes('backup')) {
      throw new UsageError(
        '--procedure is proven by the backup scenario, which this run does not include.',
        'Add `backup` to the scenarios, or run all of them.',
      );
    }
    env.PERSIST_PROCEDURE = path;
    progress(`procedure file ${path}: ${procedures.map((p) => `${p.name} (${p.target})`).join(', ')}`);
  }
  if (options.edits !== undefined) env.PERSIST_EDITS = String(parseEdits(options.edits));
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  let baseline: Report | undefined;
  if (options.baseline !== undefined) {
    // Checked before anything runs: a baseline that cannot be read is one sentence, not a surprise at the end.
    const path = resolve(options.baseline);
    baseline = await readReportFile(path);
    env.PERSIST_BASELINE = path;
  }
  if (options.regressionPercent !== undefined) env.PERSIST_REGRESSION_PERCENT = options.regressionPercent;
  if (options.regressionMs !== undefined) env.PERSIST_REGRESSION_MS = options.regressionMs;
  if (options.failOnRegression) env.PERSIST_FAIL_ON_REGRESSION = '1';
  env.PERSIST_FILTERS = filters.join(',');
  env.PERSIST_RUN_ID = newRunId();
  disableReaperUnlessChosen();
  const config = loadConfig();
  const runId = env.PERSIST_RUN_ID;
  const scenarios = selectScenarios(filters);

  const engine = await checkEngine();
  progress(`engine: Docker ${engine.version}, storage driver ${engine.storageDriver}`);
  for (const target of new Set(scenarios.flatMap((s) => s.images))) {
    const choice = config.images[target];
    const image = await ensureImage(choice.reference, choice.source === 'local');
    progress(`image ${target}: ${choice.reference} (${image.id.replace('sha256:', '').slice(0, 12)})`);
  }
  for (const pair of new Set(scenarios.flatMap((s) => s.upgrades ?? []))) {
    for (const reference of [config.upgrades[pair].from, config.upgrades[pair].to]) {
      const image = await ensureImage(reference, config.upgrades[pair].source === 'local');
      progress(`image for the ${pair} upgrade: ${reference} (${image.id.replace('sha256:', '').slice(0, 12)})`);
    }
  }
  const reached = await ensurePublishedPortsReach(config.images.toolbox, runId);
  if (reached) progress(`published ports reach this machine (a listener answered at ${reached})`);
  progress(`run ${runId}: ${scenarios.map((s) => s.name).join(', ')}; ${config.trials} trial(s) per cell`);

  try {
    const mode = progressMode({ isTTY: process.stderr.isTTY === true, ci: config.ci, quiet: env.PERSIST_QUIET === '1' });
    env.PERSIST_PROGRESS = mode;
    // On a terminal, the live display replaces vitest's own, which would fight it for the screen.
    const reporters = mode === 'live' ? { reporters: [new LiveProgressReporter(), new PersistReporter(), new ClosingLineReporter()] } : {};
    const files = scenarios.map((s) => s.file);
    const vitestOptions = {
      run: true,
      watch: false,
      project: [SCENARIOS_PROJECT],
      config: join(PACKAGE_ROOT, 'vitest.config.ts'),
      root: PACKAGE_ROOT,
      ...reporters,
    };
    if (shard) {
      await runShard(files, { shard, baseline, root: PACKAGE_ROOT, vitest: vitestOptions, env });
    } else {
      const vitest = await startVitest(files, vitestOptions);
      await vitest.close();
    }
  } finally {
    await sweepRun(runId);
  }
  const reportPath = resolve(config.outDir ?? defaultOutDir(runId), 'report.json');
  const report = await readReport(reportPath);
  return exitCodeFor(report);
}

async function readReport(path: string): Promise<Report> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Report;
  } catch (error) {
    throw new HarnessError(`The run ended without writing ${path}.`, 'See the output above for the scenario that could not start.', { cause: error });
  }
}
