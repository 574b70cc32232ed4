// `persist run` on the command line: its options become the run's typed settings (each checked
// before anything starts, so a bad one is one sentence), the runner returns the report, and the
// report's verdicts become the exit code.
import { dirname, resolve } from 'node:path';
import {
  choicesFromEnv,
  configFor,
  FULL_MEASUREMENT,
  parseFilesAtOnce,
  parseBenchSize,
  parseEdits,
  parseImageSet,
  parseThreshold,
  parseTrials,
  DEFAULT_REGRESSION,
} from '../config.ts';
import { UsageError } from '../errors.ts';
import { loadProcedures } from '../backup/procedure.ts';
import { readRunReportFile } from '../report/read.ts';
import { progress, progressMode } from '../progress.ts';
import { exitCodeFor, type RunReport } from '../report/model.ts';
import { prepareOutDir } from '../report/out-dir.ts';
import { defaultOutDir } from '../report/write.ts';
import { runScenarios } from '../run/runner.ts';
import { parseShard } from '../shard/shard-plan.ts';

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
  /** The full measurement: FULL_MEASUREMENT's trials, benchmark size and one file at a time, unless --trials, --size or --files-at-once say otherwise. */
  full?: boolean;
  filesAtOnce?: string;
}

export async function runCommand(filters: string[], options: RunOptions): Promise<number> {
  const env = process.env;
  const fromEnv = choicesFromEnv(env);
  // Checked first (the CLI has checked --out already): a run whose report cannot be written is
  // refused before anything starts.
  const outDir = options.out === undefined ? fromEnv.outDir : await prepareOutDir(options.out);
  if (outDir === undefined) await prepareOutDir(dirname(defaultOutDir('run')));
  const procedureFile = options.procedure === undefined ? fromEnv.procedureFile : await checkedProcedure(options.procedure, filters);
  let baseline: RunReport | undefined;
  let baselineFile: string | undefined;
  if (options.baseline !== undefined) {
    // Checked before anything runs: a baseline that cannot be read is one sentence, not a surprise at the end.
    baselineFile = resolve(options.baseline);
    baseline = await readRunReportFile(baselineFile);
  }
  const ci = fromEnv.ci ?? false;
  const config = configFor(
    {
      ...fromEnv,
      imageSet: options.images === undefined ? fromEnv.imageSet : parseImageSet(options.images),
      // Every run is its own, even one started inside another (a test of the CLI): its sweep removes only what it made.
      runId: undefined,
      trials: options.trials !== undefined ? parseTrials(options.trials) : options.full && !env.PERSIST_TRIALS ? FULL_MEASUREMENT.trials : fromEnv.trials,
      benchSize:
        options.size !== undefined ? parseBenchSize(options.size) : options.full && !env.PERSIST_BENCH_SIZE ? FULL_MEASUREMENT.benchSize : fromEnv.benchSize,
      filesAtOnce:
        options.filesAtOnce !== undefined
          ? parseFilesAtOnce(options.filesAtOnce)
          : options.full && !env.PERSIST_FILES_AT_ONCE
            ? FULL_MEASUREMENT.filesAtOnce
            : fromEnv.filesAtOnce,
      outDir,
      filters,
      procedureFile,
      edits: options.edits === undefined ? fromEnv.edits : parseEdits(options.edits),
      baseline: baselineFile
        ? {
            file: baselineFile,
            thresholds: {
              percent: parseThreshold(options.regressionPercent, DEFAULT_REGRESSION.percent, '--regression-percent'),
              ms: parseThreshold(options.regressionMs, DEFAULT_REGRESSION.ms, '--regression-ms'),
            },
            failOnRegression: options.failOnRegression === true,
          }
        : fromEnv.baseline,
      progress: progressMode({ isTTY: process.stderr.isTTY === true, ci, quiet: env.PERSIST_QUIET === '1' }),
    },
    env,
  );
  const shard = options.shard === undefined ? undefined : { shard: parseShard(options.shard), baseline };
  const report = await runScenarios({ config, ...(shard ? { shard } : {}) });
  return exitCodeFor(report);
}

/** The user's procedure file, read and checked here, so a bad file is one sentence before any container starts. */
async function checkedProcedure(file: string, filters: string[]): Promise<string> {
  const path = resolve(file);
  const procedures = await loadProcedures(path);
  if (filters.length > 0 && !filters.includes('backup')) {
    throw new UsageError(
      '--procedure is proven by the backup scenario, which this run does not include.',
      'Add `backup` to the scenarios, or run all of them.',
    );
  }
  progress(`procedure file ${path}: ${procedures.map((p) => `${p.name} (${p.target})`).join(', ')}`);
  return path;
}
