// `persist run` as a program: typed settings in, the run's RunReport out, in memory. It checks the
// engine and the images the chosen scenarios start, then runs their files through vitest (the
// engine that runs them), handing every worker the settings through vitest's provide/inject; the
// persist reporter assembles the report (and writes its files), and the runner returns it.
import { createVitest } from 'vitest/node';
import { disableReaperUnlessChosen, type HarnessConfig } from '../config.ts';
import { checkEngine, ensureImage } from '../docker/engine.ts';
import { powerCutUnsupported } from '../host/power-cut-support.ts';
import { newRunId } from '../docker/labels.ts';
import { ensurePublishedPortsReach } from '../docker/reachability.ts';
import { sweepRun } from '../docker/run-scope.ts';
import { describeError, HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { RunReport } from '../report/model.ts';
import { filesAtOnceWords } from '../report/render/shared.ts';
import { selectScenarios, type ScenarioInfo } from '../scenarios.ts';
import type { Shard } from '../shard/shard-plan.ts';
import { runShard } from '../shard/run-shard.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { ClosingLineReporter } from '../vitest/closing-line-reporter.ts';
import { LiveProgressReporter } from '../vitest/live-progress-reporter.ts';
import { LongestFirstSequencer } from '../vitest/longest-first-sequencer.ts';
import { PersistReporter } from '../vitest/persist-reporter.ts';
import { runProjects } from '../vitest/scenarios-project.ts';

export interface RunSettings {
  /** The run's settings (configFor builds them from typed choices); config.filters names the scenarios, none for all. */
  config: HarnessConfig;
  /** This job's part of the cells (`--shard K/N`), and the earlier report whose durations balance the parts. */
  shard?: { shard: Shard; baseline: RunReport | undefined };
}

/** Runs the chosen scenarios and returns their report; throws a HarnessError where none could be made. */
export async function runScenarios(settings: RunSettings): Promise<RunReport> {
  const config: HarnessConfig = { ...settings.config, runId: settings.config.runId ?? newRunId() };
  const runId = config.runId as string;
  disableReaperUnlessChosen();
  const { scenarios, notRun } = await runnable(selectScenarios(config.filters), config.filters);
  await ensureImagesOf(scenarios, config);
  const reached = await ensurePublishedPortsReach(config.images.toolbox, runId);
  if (reached) progress(`published ports reach this machine (a listener answered at ${reached})`);
  progress(`run ${runId}: ${scenarios.map((s) => s.name).join(', ')}; ${config.trials} trial(s) per cell, ${filesAtOnceWords(config.filesAtOnce)}`);

  const reporter = new PersistReporter(config);
  reporter.useNotRun(notRun);
  try {
    await runFiles(scenarios, config, reporter, settings.shard);
  } finally {
    await sweepRun(runId);
  }
  if (!reporter.report) {
    throw new HarnessError(`Run ${runId} ended without a report.`, 'See the output above for the scenario that could not start.');
  }
  return reporter.report;
}

/**
 * Scenarios that cut disks' power need this host (root, loop devices, a local engine). Named
 * explicitly, one that cannot run refuses the run; in a run of all, it is reported as not run.
 */
async function runnable(
  selected: ScenarioInfo[],
  filters: string[],
): Promise<{ scenarios: ScenarioInfo[]; notRun: Array<{ scenario: string; reason: string }> }> {
  const needing = selected.filter((s) => s.needsPowerCuts);
  if (needing.length === 0) return { scenarios: selected, notRun: [] };
  const unsupported = await powerCutUnsupported(await checkEngine());
  if (unsupported === undefined) return { scenarios: selected, notRun: [] };
  const named = needing.filter((s) => filters.includes(s.name));
  if (named.length > 0) {
    throw new HarnessError(
      `The ${named.map((s) => s.name).join(', ')} scenario cannot run here: ${unsupported}.`,
      'Run `persist doctor` on the engine host to see what power cuts need.',
    );
  }
  for (const s of needing) progress(`${s.name}: not run: ${unsupported}`);
  return { scenarios: selected.filter((s) => !s.needsPowerCuts), notRun: needing.map((s) => ({ scenario: s.name, reason: unsupported })) };
}

/** The engine answers, and every image the scenarios start (upgrade pairs too) is here or pulled. */
async function ensureImagesOf(scenarios: ScenarioInfo[], config: HarnessConfig): Promise<void> {
  const engine = await checkEngine();
  progress(`engine: Docker ${engine.version}, storage driver ${engine.storageDriver}`);
  const short = (id: string) => id.replace('sha256:', '').slice(0, 12);
  for (const target of new Set(scenarios.flatMap((s) => s.images))) {
    const choice = config.images[target];
    const image = await ensureImage(choice.reference, choice.source === 'local');
    progress(`image ${target}: ${choice.reference} (${short(image.id)})`);
  }
  for (const pair of new Set(scenarios.flatMap((s) => s.upgrades ?? []))) {
    for (const reference of [config.upgrades[pair].from, config.upgrades[pair].to]) {
      const image = await ensureImage(reference, config.upgrades[pair].source === 'local');
      progress(`image for the ${pair} upgrade: ${reference} (${short(image.id)})`);
    }
  }
}

/** The scenario files through vitest: filesAtOnce at a time, then the ones that measure the machine, alone. */
async function runFiles(scenarios: ScenarioInfo[], config: HarnessConfig, reporter: PersistReporter, shard: RunSettings['shard']): Promise<void> {
  const files = scenarios.map((s) => s.file);
  const grouped = {
    together: scenarios.filter((s) => !s.alone).map((s) => s.file),
    alone: scenarios.filter((s) => s.alone).map((s) => s.file),
  };
  // On a terminal, the live display replaces vitest's own, which would fight it for the screen.
  const display = config.progress === 'live' ? new LiveProgressReporter() : 'default';
  const vitest = await createVitest('test', {
    config: false,
    root: PACKAGE_ROOT,
    watch: false,
    projects: runProjects(grouped, config.filesAtOnce),
    provide: { persistConfig: config },
    // The longest scenario files first, so the files run at once end together.
    sequence: { sequencer: LongestFirstSequencer },
    reporters: [display, reporter, new ClosingLineReporter()],
  });
  try {
    if (shard) await runShard(vitest, files, { ...shard, root: PACKAGE_ROOT, reporter });
    else await vitest.start(files);
  } catch (error) {
    throw new HarnessError(`The scenarios could not run (${describeError(error)}).`, 'See the output above for the file that could not start.', {
      cause: error,
    });
  } finally {
    await vitest.close();
  }
}

// What a program needs besides the runner: its settings from typed choices, and the exit code a report means.
export { type ConfigChoices, configFor } from '../config.ts';
export { exitCodeFor, type RunReport } from '../report/model.ts';
