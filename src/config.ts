// Defaults and the environment. This is the only module that reads process.env, so every
// setting a user can change is visible in one place (and documented in docs/commands.md).
import { UsageError } from './errors.ts';
import { DEFAULT_THRESHOLDS } from './report/compare.ts';
import type { ProgressMode } from './progress.ts';
import {
  localUpgrade,
  SERVICE_NAMES,
  SERVICES,
  UPGRADE_PAIRS,
  UPGRADES,
  type ServiceName,
  type ServiceProfile,
  type UpgradePairName,
} from './services/registry.ts';

export const IMAGE_SETS = ['official', 'local'] as const;
export type ImageSet = (typeof IMAGE_SETS)[number];

/** Every kind of image the harness starts, by the name users override it with (the registry's services). */
export const IMAGE_TARGETS = SERVICE_NAMES;
export type ImageTarget = ServiceName;

export interface ImageChoice {
  target: ImageTarget;
  reference: string;
  /** Where the reference came from, for the report. */
  source: 'official' | 'local' | 'override';
}

/** The stand-ins built from images/<name>/ by `persist images build`. */
export const LOCAL_IMAGES = Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].standIn.reference])) as Record<ImageTarget, string>;
const OFFICIAL_IMAGES = Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].official])) as Record<ImageTarget, string>;

export { UPGRADE_PAIRS, type UpgradePairName };

export interface UpgradePair {
  name: UpgradePairName;
  from: string;
  to: string;
  source: 'official' | 'local' | 'override';
}

/** PERSIST_UPGRADE_<PAIR>=FROM,TO overrides one pair, e.g. PERSIST_UPGRADE_POSTGRES=postgres:16,postgres:17. */
export function chooseUpgrades(imageSet: ImageSet, env: Env): Record<UpgradePairName, UpgradePair> {
  const entries = UPGRADE_PAIRS.map((name): [UpgradePairName, UpgradePair] => {
    const variable = `PERSIST_UPGRADE_${name.toUpperCase().replaceAll('-', '_')}`;
    const override = env[variable];
    if (override) {
      const [from, to, ...rest] = override.split(',').map((part) => part.trim());
      if (!from || !to || rest.length > 0) {
        throw new UsageError(`Invalid ${variable} "${override}".`, 'Give the old and the new image separated by a comma, e.g. postgres:15,postgres:17.');
      }
      return [name, { name, from, to, source: 'override' }];
    }
    const [from, to] = imageSet === 'local' ? localUpgrade(name) : UPGRADES[name].official;
    return [name, { name, from, to, source: imageSet }];
  });
  return Object.fromEntries(entries) as Record<UpgradePairName, UpgradePair>;
}

/** One trial per cell gives every verdict; repeated trials are for timings compared between runs. */
export const DEFAULT_TRIALS = 1;
/** The performance scenario's sizes: quick for a first run and the test suite, full when asked. */
export const BENCH_SIZES = ['quick', 'full'] as const;
export type BenchSize = (typeof BENCH_SIZES)[number];

/** Quick unless asked: a first run gives every verdict in minutes; `--size full` measures at full size. */
export const DEFAULT_BENCH_SIZE: BenchSize = 'quick';

/**
 * Scenario files that drive the engine at once. Most of a file's time is spent waiting on
 * containers, so a first run gives every verdict sooner with two; the full measurement runs one
 * at a time, so that no recovery time includes another file's load. The benchmarks always run alone.
 */
export const DEFAULT_FILES_AT_ONCE = 2;

/** `persist run --full`: recovery times as medians over several trials, one file at a time, and the benchmarks at full size. */
export const FULL_MEASUREMENT: { trials: number; benchSize: BenchSize; filesAtOnce: number } = { trials: 3, benchSize: 'full', filesAtOnce: 1 };

export function parseFilesAtOnce(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_FILES_AT_ONCE;
  const files = Number(value);
  if (!Number.isInteger(files) || files < 1 || files > 8) {
    throw new UsageError(`Invalid number of files at once "${value}".`, 'Use a whole number from 1 to 8 (1 for timings that measure one scenario alone).');
  }
  return files;
}

export function parseBenchSize(value: string | undefined): BenchSize {
  if (value === undefined || value === '') return DEFAULT_BENCH_SIZE;
  if ((BENCH_SIZES as readonly string[]).includes(value)) return value as BenchSize;
  throw new UsageError(`Unknown benchmark size "${value}".`, 'Use --size quick or --size full.');
}
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,62}$/;

export interface HarnessConfig {
  imageSet: ImageSet;
  images: Record<ImageTarget, ImageChoice>;
  upgrades: Record<UpgradePairName, UpgradePair>;
  trials: number;
  /** Scenario files driving the engine at once (the benchmarks always alone). */
  filesAtOnce: number;
  /** How long and how large the performance scenario's benchmarks are. */
  benchSize: BenchSize;
  runId: string | undefined;
  outDir: string | undefined;
  /** The scenario names `persist run` was given, for the report. */
  filters: string[];
  /** Plain progress lines (CI) rather than anything fancier. */
  ci: boolean;
  /** The user's backup procedure file (`--procedure`); the worked example when unset. */
  procedureFile: string | undefined;
  /** Edits per trial of the development-loop drills (`--edits`). */
  edits: number;
  /** GitHub Actions' step summary file: the Markdown summary is appended to it. */
  stepSummaryFile: string | undefined;
  /** A previous report.json to compare with (`--baseline`), and when a slower recovery counts. */
  baseline: { file: string; thresholds: { percent: number; ms: number }; failOnRegression: boolean } | undefined;
  /** How scenario workers print their steps: one live line on a terminal, plain lines elsewhere, or none. */
  progress: ProgressMode;
}

type Env = Record<string, string | undefined>;

export function parseImageSet(value: string | undefined): ImageSet {
  if (value === undefined || value === '') return 'official';
  if ((IMAGE_SETS as readonly string[]).includes(value)) return value as ImageSet;
  throw new UsageError(`Unknown image set "${value}".`, 'Use --images official or --images local.');
}

export function parseTrials(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_TRIALS;
  const trials = Number(value);
  if (!Number.isInteger(trials) || trials < 1 || trials > 100) {
    throw new UsageError(`Invalid number of trials "${value}".`, 'Use a whole number from 1 to 100.');
  }
  return trials;
}

export const DEFAULT_EDITS = 5;

export function parseEdits(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_EDITS;
  const edits = Number(value);
  if (!Number.isInteger(edits) || edits < 1 || edits > 100) throw new UsageError(`Invalid number of edits "${value}".`, 'Use a whole number from 1 to 100.');
  return edits;
}

/** A median recovery slower by more than both of these is a regression. */
export const DEFAULT_REGRESSION = DEFAULT_THRESHOLDS;

export function parseThreshold(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new UsageError(`Invalid ${option} "${value}".`, 'Use a number of 0 or more.');
  return number;
}

function isBuiltHere(target: ImageTarget): boolean {
  const profile: ServiceProfile = SERVICES[target];
  return profile.builtHere === true;
}

export function chooseImages(imageSet: ImageSet, env: Env): Record<ImageTarget, ImageChoice> {
  const entries = IMAGE_TARGETS.map((target): [ImageTarget, ImageChoice] => {
    const override = env[`PERSIST_IMAGE_${target.toUpperCase()}`];
    if (override) return [target, { target, reference: override, source: 'override' }];
    // A tool built here (no official image carries it) is the same image in both sets.
    const source = isBuiltHere(target) ? 'local' : imageSet;
    const reference = source === 'local' ? LOCAL_IMAGES[target] : OFFICIAL_IMAGES[target];
    return [target, { target, reference, source }];
  });
  return Object.fromEntries(entries) as Record<ImageTarget, ImageChoice>;
}

/**
 * What a caller of `persist run`'s runner may choose, typed; whatever is left out takes its
 * default. Image overrides (PERSIST_IMAGE_<NAME>, PERSIST_UPGRADE_<PAIR>) stay the environment's.
 */
export type ConfigChoices = Partial<Omit<HarnessConfig, 'images' | 'upgrades'>>;

/** The settings for these choices, defaults filled in and each image chosen for the image set. */
export function configFor(choices: ConfigChoices, env: Env = process.env): HarnessConfig {
  const imageSet = choices.imageSet ?? 'official';
  const runId = choices.runId;
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(`Invalid run id "${runId}".`, 'Use 3 to 63 lowercase letters, digits and dashes.');
  }
  return {
    imageSet,
    images: chooseImages(imageSet, env),
    upgrades: chooseUpgrades(imageSet, env),
    trials: choices.trials ?? DEFAULT_TRIALS,
    filesAtOnce: choices.filesAtOnce ?? DEFAULT_FILES_AT_ONCE,
    benchSize: choices.benchSize ?? DEFAULT_BENCH_SIZE,
    runId,
    outDir: choices.outDir,
    filters: choices.filters ?? [],
    ci: choices.ci ?? false,
    procedureFile: choices.procedureFile,
    edits: choices.edits ?? DEFAULT_EDITS,
    stepSummaryFile: choices.stepSummaryFile,
    baseline: choices.baseline,
    progress: choices.progress ?? 'plain',
  };
}

/** The choices the environment makes (npm test, and the variables docs/commands.md lists). */
export function choicesFromEnv(env: Env): ConfigChoices {
  return {
    imageSet: parseImageSet(env.PERSIST_IMAGES),
    runId: env.PERSIST_RUN_ID || undefined,
    trials: parseTrials(env.PERSIST_TRIALS),
    filesAtOnce: parseFilesAtOnce(env.PERSIST_FILES_AT_ONCE),
    benchSize: parseBenchSize(env.PERSIST_BENCH_SIZE),
    outDir: env.PERSIST_OUT || undefined,
    filters: (env.PERSIST_FILTERS ?? '').split(',').filter(Boolean),
    ci: env.CI === 'true' || env.CI === '1',
    procedureFile: env.PERSIST_PROCEDURE || undefined,
    edits: parseEdits(env.PERSIST_EDITS),
    stepSummaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    baseline: env.PERSIST_BASELINE
      ? {
          file: env.PERSIST_BASELINE,
          thresholds: {
            percent: parseThreshold(env.PERSIST_REGRESSION_PERCENT, DEFAULT_REGRESSION.percent, '--regression-percent'),
            ms: parseThreshold(env.PERSIST_REGRESSION_MS, DEFAULT_REGRESSION.ms, '--regression-ms'),
          },
          failOnRegression: env.PERSIST_FAIL_ON_REGRESSION === '1' || env.PERSIST_FAIL_ON_REGRESSION === 'true',
        }
      : undefined,
    progress: env.PERSIST_QUIET === '1' ? 'quiet' : 'plain',
  };
}

export function loadConfig(env: Env = process.env): HarnessConfig {
  return configFor(choicesFromEnv(env), env);
}

let adopted: HarnessConfig | undefined;

/**
 * The settings this process runs under: those `persist run`'s runner handed to the scenario
 * workers (vitest's provide/inject, adopted by the scenario kit), else the environment's.
 */
export function runConfig(): HarnessConfig {
  adopted ??= loadConfig();
  return adopted;
}

export function adoptConfig(config: HarnessConfig): void {
  adopted = config;
}

/**
 * Ryuk (testcontainers' reaper) needs an image pulled from a registry; the harness removes
 * what it made by its own run label instead, so it switches Ryuk off unless the user chose.
 */
export function disableReaperUnlessChosen(env: Env = process.env): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}
