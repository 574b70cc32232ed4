// What scenario files use: the run's settings and scope, and the hand-over of results to the
// report through vitest's task.meta (JSON only, read by the persist reporter).
import { inject, type TaskMeta } from 'vitest';
import { adoptConfig, disableReaperUnlessChosen, type HarnessConfig, type ImageTarget } from './config.ts';
import { standardDataset, type Dataset } from './data/dataset.ts';
import { checkEngine, ensureImage } from './docker/engine.ts';
import { RunScope } from './docker/run-scope.ts';
import { UsageError } from './errors.ts';
import { useProgressMode } from './progress.ts';
import type { PerformancePart } from './report/performance-part.ts';
import type { CellResult, ControlResult } from './report/model.ts';

declare module 'vitest' {
  interface TaskMeta {
    persistResult?: CellResult;
    persistControl?: ControlResult;
    persistPerformance?: PerformancePart;
  }
}

export interface ScenarioKit {
  config: HarnessConfig;
  scope: RunScope;
  dataset: Dataset;
}

let kit: ScenarioKit | undefined;

export function scenarioKit(): ScenarioKit {
  if (kit) return kit;
  disableReaperUnlessChosen();
  // The run's settings, handed over by `persist run`'s runner or the test suite's configuration.
  const config = inject('persistConfig');
  if (!config?.runId) {
    throw new UsageError('No run id is set for this scenario run.', 'Run scenarios through `persist run` or `npm test`, which set one.');
  }
  // Modules deeper down (the initialised copy, the progress lines) read the same settings.
  adoptConfig(config);
  useProgressMode(config.progress);
  kit = { config, scope: new RunScope(config.runId), dataset: standardDataset() };
  return kit;
}

/** Engine up and images present (or pullable): checked once per scenario file, before any cell. */
export async function preflight(images: ImageTarget[]): Promise<void> {
  const { config } = scenarioKit();
  await checkEngine();
  for (const image of images) {
    const choice = config.images[image];
    await ensureImage(choice.reference, choice.source === 'local');
  }
}

export function recordResult(meta: TaskMeta, result: CellResult): void {
  meta.persistResult = result;
}

export function recordPerformance(meta: TaskMeta, part: PerformancePart): void {
  meta.persistPerformance = part;
}

export function recordControl(meta: TaskMeta, control: ControlResult): void {
  meta.persistControl = control;
}

/** Records a negative control for the report, and fails the test with its evidence unless it was caught. */
export function proveControl(meta: TaskMeta, control: ControlResult, explanation?: string): void {
  recordControl(meta, control);
  if (!control.caught) {
    const lines = [explanation, ...control.cell.evidence].filter((line): line is string => Boolean(line));
    throw new Error(`negative control NOT caught: ${control.title} (${control.sabotage})\n  ${lines.join('\n  ')}`);
  }
}

/** Fails the test unless the cell observed what it expected; an errored cell fails as an error. */
export function assertVerdict(result: CellResult): void {
  if (result.status === 'errored') throw new Error(`harness error: ${result.error ?? 'unknown'}`);
  if (result.status === 'failed') {
    throw new Error(`${result.title}: expected "${result.expected}", observed "${result.observed}"\n  ${result.evidence.join('\n  ')}`);
  }
}
