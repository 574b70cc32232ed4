// `persist check`: runs a copy of the user's Compose project through the lifecycle commands and
// reports what survived, beside what the audit predicted. Writes the same report files as
// `persist run`; exit 0 when everything needed survived as predicted, 1 when needed data was
// lost, 2 when the check could not run or a prediction did not hold.
import { type CheckOptions, runCheck } from '../check/run-check.ts';
import { reportRefusal } from './refusal-report.ts';
import { checkEngine } from '../docker/engine.ts';
import { newRunId } from '../docker/labels.ts';
import { EngineHeldNetworkError } from '../docker/cleanup.ts';
import { sweepOnSignal } from '../docker/interrupt.ts';
import { describeError } from '../errors.ts';
import { closeRun, RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import { exitCodeFor, type Report } from '../report/model.ts';
import { checkCounts, checkTables, describeLeftOut } from '../report/render/check-tables.ts';
import { projectReport } from '../report/project-report.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';
import { stopwatch, wallClock } from '../timing/clock.ts';
import { columns } from '../terminal/columns.ts';

export interface CheckCommandOptions extends CheckOptions {
  out?: string;
}

type Print = (line: string) => void;

function printCheck(report: Report, print: Print): void {
  if (report.kind !== 'check') return;
  const check = report.check;
  for (const line of describeLeftOut(check)) print(`left out, not checked: ${line}`);
  for (const table of checkTables(check)) {
    print('');
    print(table.service);
    for (const line of columns([table.header, ...table.rows])) print(`  ${line}`);
    for (const cell of table.notable) print(`  ${cell.status === 'failed' ? '✘' : '!'} ${cell.path} after \`${cell.lifecycle}\`: ${cell.evidence.join('; ')}`);
  }
  print('');
}

export async function checkCommand(options: CheckCommandOptions, print: Print): Promise<number> {
  const startedAt = wallClock();
  const timer = stopwatch();
  const runId = `check-${newRunId(startedAt)}`;
  const engine = await checkEngine().catch((error: unknown) => reportRefusal(error, { runId, startedAt, timer, command: 'check' }, options, print));
  const scope = new RunScope(runId);
  const stopListening = sweepOnSignal(runId);
  let outcome: Awaited<ReturnType<typeof runCheck>> | undefined;
  // The verdict stands whatever the cleanup meets; what it could not remove is said after it.
  let leftBehind: unknown;
  let refused: unknown;
  try {
    outcome = await runCheck(options, scope, progress);
  } catch (error) {
    refused = error;
  } finally {
    leftBehind = await closeRun(scope, progress);
    stopListening();
  }
  // Refused before any verdict (bad input, images the copy lacks, a seed that fails): a report all the same, after the cleanup.
  if (outcome === undefined) return reportRefusal(refused, { runId, startedAt, timer, command: 'check' }, options, print);
  const report = projectReport(
    { runId, startedAt, finishedAt: wallClock(), durationMs: timer.ms(), engine },
    outcome.audit,
    outcome.check,
    outcome.harnessErrors,
  );
  for (const error of report.harnessErrors) print(`persist: ${error}`);
  printCheck(report, print);
  const written = await writeReport(report, options.out ?? defaultOutDir(runId), options.out === undefined);
  const code = exitCodeFor(report);
  const { passed, failed, surprises } = checkCounts(outcome.check);
  print(
    `${code === 0 ? 'PASSED' : 'NOT PASSED'}: ${passed} cell(s) passed, ${failed} failed, ${surprises} not as the audit predicted; ${(report.durationMs / 1000).toFixed(1)} s; report: ${written.outDir}/report.md`,
  );
  if (leftBehind === undefined) return code;
  // The engine's own fault leaves a network no one can remove: said, without changing the verdict.
  if (leftBehind instanceof EngineHeldNetworkError) {
    print(`persist: ${leftBehind.oneLine()}`);
    return code;
  }
  print(`persist: the cleanup left something of the copy behind: ${describeError(leftBehind)}. Run \`persist clean --run ${runId}\`.`);
  return code === 0 ? 2 : code;
}
