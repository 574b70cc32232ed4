// A vitest reporter that turns the scenarios' task.meta into the report model and writes it.
// Tests outside the scenarios project (unit tests) are not part of the report.
import { appendFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { HarnessConfig } from '../config.ts';
import { gatherEnvironment } from '../report/environment.ts';
import { PACKAGE_ROOT, toolVersion } from '../version.ts';
import {
  PHASE_CLOCKS,
  PHASE_DEFINITIONS,
  SCHEMA_VERSION,
  summarise,
  type CellResult,
  type ControlResult,
  type RunReport,
  type ShardFacts,
  type TestRecord,
} from '../report/model.ts';
import { readRunReportFile } from '../report/read.ts';
import { compareReports } from '../report/compare.ts';
import { describeError } from '../errors.ts';
import { reportProblems } from '../report/validate.ts';
import { renderMarkdown } from '../report/render/markdown.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';
import { stopwatch, wallClock } from '../timing/clock.ts';
import { CLOCK_DEFINITIONS } from '../timing/clocks.ts';
import { assemblePerformance } from '../performance/assemble-performance.ts';
import type { PerformancePart } from '../report/performance-part.ts';

import { isScenarioProject } from './scenarios-project.ts';

export class PersistReporter implements Reporter {
  private startedAt = wallClock();
  /** The run's duration, on the harness's monotonic clock: two wall-clock readings can go backwards. */
  private running = stopwatch();
  private readonly config: HarnessConfig;
  /** Which part of the cells this run is (`persist run --shard K/N`), once the runner has cut it. */
  private shard: ShardFacts | undefined;
  private notRun: Array<{ scenario: string; reason: string }> = [];
  /** The report of the run, once it has ended: what the runner returns. */
  report: RunReport | undefined;

  constructor(config: HarnessConfig) {
    this.config = config;
  }

  useShard(facts: ShardFacts): void {
    this.shard = facts;
  }

  /** Scenarios of a run of all that this machine cannot run, and why: said in the report. */
  useNotRun(notRun: Array<{ scenario: string; reason: string }>): void {
    this.notRun = notRun;
  }

  onInit(): void {
    this.startedAt = wallClock();
    this.running = stopwatch();
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): Promise<void> {
    const scenarioModules = testModules.filter((m) => isScenarioProject(m.project.name));
    const { config, shard } = this;
    // A shard dealt no cells still reports, so its job passes and the merge knows it ran.
    if (scenarioModules.length === 0 && shard?.tests !== 0) return;
    const runId = config.runId ?? 'unnamed-run';
    const results: CellResult[] = [];
    const controls: ControlResult[] = [];
    const performance: PerformancePart[] = [];
    const tests: TestRecord[] = [];
    const harnessErrors: string[] = unhandledErrors.map((e) => `unhandled error: ${e.message ?? String(e)}`);

    for (const module of scenarioModules) {
      for (const error of module.errors()) harnessErrors.push(`${module.moduleId}: ${error.message}`);
      for (const test of module.children.allTests()) collect(test, { results, controls, performance, tests }, harnessErrors);
    }

    const finishedAt = wallClock();
    const report: RunReport = {
      schemaVersion: SCHEMA_VERSION,
      kind: 'run',
      runId,
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: this.running.ms(),
      tool: toolVersion(),
      settings: { imageSet: config.imageSet, trials: config.trials, filesAtOnce: config.filesAtOnce, filters: config.filters },
      environment: await gatherEnvironment(Object.values(config.images)),
      phaseDefinitions: PHASE_DEFINITIONS,
      phaseClocks: PHASE_CLOCKS,
      clocks: CLOCK_DEFINITIONS,
      summary: summarise(results, controls),
      results,
      controls,
      harnessErrors,
      ...(performance.length > 0 ? { performance: assemblePerformance(performance, { size: config.benchSize, trials: config.trials }) } : {}),
      tests,
      ...(shard ? { shard } : {}),
      ...(this.notRun.length > 0 ? { notRun: this.notRun } : {}),
    };
    if (config.baseline) {
      try {
        const baseline = await readRunReportFile(config.baseline.file);
        report.comparison = compareReports(baseline, report, config.baseline.thresholds, config.baseline.failOnRegression);
      } catch (error) {
        report.harnessErrors.push(`baseline: ${describeError(error)}`);
      }
    }
    // A report that does not match its published schema is still written (nothing is lost),
    // but the run cannot pass: the problems become harness errors.
    const problems = reportProblems(report);
    if (problems.length > 0) report.harnessErrors.push(...problems.map((problem) => `report.json does not match its schema: ${problem}`));
    this.report = report;
    const written = await writeReport(report, config.outDir ?? defaultOutDir(runId), config.outDir === undefined);
    if (config.stepSummaryFile) await appendFile(config.stepSummaryFile, `${renderMarkdown(report, { brief: true })}\n`);
    const s = report.summary;
    process.stderr.write(
      `\n[persist] report: ${written.outDir}/report.md (${s.passed} passed, ${s.failed} failed, ${s.errored} errored; controls caught ${s.controlsCaught}/${s.controls})\n`,
    );
  }
}

export interface Collected {
  results: CellResult[];
  controls: ControlResult[];
  performance: PerformancePart[];
  tests: TestRecord[];
}

/** One test's part of the report: its result, control or figures, and a harness error where it has none to give. */
export function collect(test: TestCase, collected: Collected, harnessErrors: string[]): void {
  const meta = test.meta();
  if (meta.persistResult) collected.results.push(meta.persistResult);
  if (meta.persistControl) collected.controls.push(meta.persistControl);
  if (meta.persistPerformance) collected.performance.push(meta.persistPerformance);
  const outcome = test.result();
  if (outcome.state !== 'skipped' && outcome.state !== 'pending') {
    const ids = [meta.persistResult?.id, meta.persistControl?.id].filter((id): id is string => id !== undefined);
    // Relative to the package, so shards cut on different machines name the same tests.
    const file = relative(PACKAGE_ROOT, test.module.moduleId);
    collected.tests.push({ file, name: test.fullName, durationMs: Math.round(test.diagnostic()?.duration ?? 0), ids });
  }
  const handedOver = meta.persistResult !== undefined || meta.persistControl !== undefined || meta.persistPerformance !== undefined;
  if (!handedOver && outcome.state === 'failed') {
    // The test failed before it produced a result: the harness could not run it.
    const reasons = outcome.errors.map((e) => e.message).join('; ');
    harnessErrors.push(`${test.fullName}: ${reasons || 'it failed without an error message'}`);
  }
  // A scenario that passed without saying what it saw proved nothing, and its cell would simply be absent.
  if (!handedOver && outcome.state === 'passed')
    harnessErrors.push(
      `${test.fullName}: it passed without handing a result to the report, so the report cannot show what it proved. This is a harness bug; please report it.`,
    );
}
