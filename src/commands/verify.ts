// `persist verify`: restores a backup artifact into a throwaway container of the service's image
// and shows what came back. Writes the report in every format and last-verified.json beside it;
// exit 0 verified, 1 a check failed (named), 2 it could not verify or could not have failed.
import { parsePoints, parseTarget } from '../verify/recovery-targets.ts';
import type { FetchChoice } from '../compose/fetch-images.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import { EngineHeldNetworkError } from '../docker/cleanup.ts';
import { checkEngine, type EngineFacts } from '../docker/engine.ts';
import { sweepOnSignal } from '../docker/interrupt.ts';
import { newRunId } from '../docker/labels.ts';
import { closeRun, RunScope } from '../docker/run-scope.ts';
import { describeError, HarnessError, UsageError } from '../errors.ts';
import { progress } from '../progress.ts';
import { exitCodeFor, SCHEMA_VERSION, type Verify, type VerifyReport } from '../report/model.ts';
import { verifyHeadline, verifyTables } from '../report/render/verify-tables.ts';
import { reportProblems } from '../report/validate.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';
import { columns } from '../terminal/columns.ts';
import { epochMs, stopwatch, wallClock } from '../timing/clock.ts';
import { lastVerified } from '../verify/last-verified.ts';
import { runVerify, type VerifyRequest } from '../verify/run-verify.ts';
import { DEFAULT_DRIFT } from '../verify/drift.ts';
import { readReportFile } from '../report/read.ts';
import { parseThreshold } from '../config.ts';
import { verifyTarget } from '../verify/verify-target.ts';
import { toolVersion } from '../version.ts';

export interface VerifyCommandOptions {
  from?: string;
  format?: string;
  image?: string;
  env: string[];
  expect?: string;
  dataPath?: string;
  restore?: string;
  archive?: string;
  /** `--at`, as given: RFC 3339 or back from now. */
  at?: string[];
  /** `--points`, as given: a whole number of points inside the window. */
  points?: string;
  baseline?: string;
  dropPercent?: string;
  regressionPercent?: string;
  regressionMs?: string;
  images?: string;
  compose?: ComposeOptions & { service?: string };
  app?: string[];
  /** --pull / --build: fetch an --app service's image that is not on this machine. */
  fetch?: FetchChoice;
  out?: string;
}

type Print = (line: string) => void;

const ENGINE_NOT_READ: EngineFacts = { version: 'not read', apiVersion: 'not read', storageDriver: 'not read', operatingSystem: 'not read' };

function reportOf(
  run: { runId: string; startedAt: Date; durationMs: number; engine: EngineFacts },
  verify: Verify | null,
  harnessErrors: string[],
): VerifyReport {
  const report: VerifyReport = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'verify',
    runId: run.runId,
    startedAt: run.startedAt.toISOString(),
    finishedAt: wallClock().toISOString(),
    durationMs: run.durationMs,
    tool: toolVersion(),
    environment: {
      engine: run.engine,
      images: verify ? [{ target: verify.service ?? verify.artifact.format, reference: verify.image.reference, id: verify.image.id, source: 'project' }] : [],
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    harnessErrors,
    verify,
  };
  const problems = reportProblems(report);
  if (problems.length > 0) report.harnessErrors.push(...problems.map((problem) => `report.json does not match its schema: ${problem}`));
  return report;
}

function printVerify(report: VerifyReport, print: Print): void {
  for (const table of verifyTables(report)) {
    if (table.rows.length === 0) continue;
    print('');
    print(table.heading);
    for (const line of columns([table.header, ...table.rows])) print(`  ${line}`);
  }
  print('');
  for (const problem of report.verify?.problems ?? []) print(`✘ ${problem}`);
}

/** An earlier verify report, and the limits this verification is held to against it. */
async function readBaseline(options: VerifyCommandOptions): Promise<NonNullable<VerifyRequest['baseline']>> {
  const file = options.baseline!;
  const report = await readReportFile(file);
  if (report.kind !== 'verify' || report.verify === null)
    throw new UsageError(
      `The baseline ${file} is not the report of a completed \`persist verify\`.`,
      'Give the report.json an earlier verify of this backup wrote.',
    );
  return {
    runId: report.runId,
    verify: report.verify,
    limits: {
      dropPercent: parseThreshold(options.dropPercent, DEFAULT_DRIFT.dropPercent, '--drop-percent'),
      regressionPercent: parseThreshold(options.regressionPercent, DEFAULT_DRIFT.regressionPercent, '--regression-percent'),
      regressionMs: parseThreshold(options.regressionMs, DEFAULT_DRIFT.regressionMs, '--regression-ms'),
    },
  };
}

export async function verifyCommand(options: VerifyCommandOptions, print: Print): Promise<number> {
  const startedAt = wallClock();
  const timer = stopwatch();
  const runId = `verify-${newRunId(startedAt)}`;
  const engine = await checkEngine().catch(() => ENGINE_NOT_READ);
  const scope = new RunScope(runId);
  const stopListening = sweepOnSignal(runId);
  // Its label, for `persist clean --run` should anything ever be left.
  progress(`verify: run ${runId}`);
  let verify: Verify | null = null;
  const harnessErrors: string[] = [];
  let leftBehind: unknown;
  try {
    if (engine === ENGINE_NOT_READ) await checkEngine();
    if (options.from === undefined) throw new HarnessError('verify needs the backup to verify.', 'Give it with --from PATH.');
    const from = options.from;
    const imageSet = options.images === 'local' ? 'local' : 'official';
    verify = await runVerify(
      {
        from,
        ...(options.format ? { format: options.format } : {}),
        ...(options.restore ? { restoreCommand: options.restore } : {}),
        ...(options.archive ? { archive: options.archive } : {}),
        ...(options.at ? { at: options.at.map((text) => parseTarget(text, epochMs())) } : {}),
        ...(options.points !== undefined ? { points: parsePoints(options.points) } : {}),
        ...(options.baseline ? { baseline: await readBaseline(options) } : {}),
        target: (service) =>
          verifyTarget(
            {
              env: options.env,
              imageSet,
              ...(options.compose ? { compose: options.compose } : {}),
              ...(options.image ? { image: options.image } : {}),
              ...(options.expect ? { expect: options.expect } : {}),
              ...(options.dataPath ? { dataPath: options.dataPath } : {}),
              ...(options.app ? { app: options.app } : {}),
              ...(options.fetch ? { fetch: options.fetch } : {}),
            },
            service,
          ),
      },
      scope,
      progress,
    );
  } catch (error) {
    // Whatever stopped it, the report that was asked for is still written, with the reason.
    harnessErrors.push(describeError(error));
  } finally {
    leftBehind = await closeRun(scope, progress);
    stopListening();
  }
  const report = reportOf({ runId, startedAt, durationMs: timer.ms(), engine }, verify, harnessErrors);
  for (const error of report.harnessErrors) print(`persist: ${error}`);
  printVerify(report, print);
  const written = await writeReport(report, options.out ?? defaultOutDir(runId), options.out === undefined);
  if (verify) await writeFile(join(written.outDir, 'last-verified.json'), `${JSON.stringify(lastVerified(report, verify), null, 2)}\n`);
  const code = exitCodeFor(report);
  print(`${verifyHeadline(verify)} Report: ${written.outDir}/report.md`);
  if (leftBehind === undefined || leftBehind instanceof EngineHeldNetworkError) return code;
  print(`persist: the cleanup left something behind: ${describeError(leftBehind)}. Run \`persist clean --run ${runId}\`.`);
  return code === 0 ? 2 : code;
}
