// `persist check`: a copy of the user's project, known data written into every service (a file
// in each data path, a dataset through each database the registry recognises, a WordPress
// site over HTTP, the user's own seed command where x-persist gives one), each disruption run
// on the whole copy as a team runs it, and the data read back. Every cell keeps what the user
// needs, what the audit predicted and what happened.
import { auditWithSettings } from '../compose/audit.ts';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { Audit, Check } from '../report/model.ts';
import { ComposeStack } from '../stack/compose-stack.ts';
import { stopwatch } from '../timing/clock.ts';
import { disrupt, disruptionsFor, startWriteLoads } from './disrupt.ts';
import { observe } from './observe.ts';
import { type CellPlace, completenessErrors, judgedOn, owedCells } from './plan.ts';
import { type Progress, probePortsOf, type Seeded, seed, subjectsOf } from './subjects.ts';

export interface CheckOutcome {
  audit: Audit;
  check: Check;
  /** What kept the check from being complete: each a harness error, so the check cannot pass. */
  harnessErrors: string[];
}

export async function runCheck(options: ComposeOptions, scope: RunScope, progress: Progress): Promise<CheckOutcome> {
  const { audit, settings } = await auditWithSettings(options);
  const own = settings.services ?? {};
  progress(`audit: ${audit.findings.filter((f) => f.severity === 'error').length} error finding(s); starting a copy of ${audit.project}`);
  const stack = await ComposeStack.start(scope, options, probePortsOf(audit));
  if (stack.startProblem) progress(`the copy started with a problem: ${stack.startProblem}`);
  const backupRoot = await scope.createHostFolder('check-backups');
  const subjects = subjectsOf(audit, own, stack, progress);
  const check: Check = { copyProject: stack.plan.projectName, replaced: stack.plan.replaced, lifecycles: [], cells: [] };
  const disruptions = disruptionsFor(audit, own);
  let owed: CellPlace[] = [];
  for (const [index, disruption] of disruptions.entries()) {
    const judged = subjects.filter((subject) => judgedOn(disruption, subject));
    const seeded: Seeded[] = [];
    const notes: string[] = [];
    for (const subject of judged) seeded.push(await seed(stack, subject, index, notes));
    for (const note of notes) progress(note);
    // What the check owes is settled once the first round is written: a probe that could not log in then is dropped, none after.
    if (index === 0) owed = owedCells(subjects, disruptions);
    // A kill lands on databases committing as fast as they can: what they acknowledged must be there after.
    const loads = disruption === 'kill' ? await startWriteLoads(stack, seeded) : [];
    const watch = stopwatch();
    const outcome = await disrupt(stack, disruption, judged, backupRoot);
    const ms = watch.ms();
    for (const { entry, load } of loads) entry.ledger = await load.stop();
    check.lifecycles.push({
      lifecycle: disruption,
      ms,
      ...(outcome.problem ? { problem: outcome.problem } : {}),
      ...(outcome.notes.length > 0 ? { steps: outcome.notes } : {}),
    });
    for (const note of outcome.notes) progress(`  ${note}`);
    for (const entry of seeded) check.cells.push(...(await observe(stack, entry, disruption, outcome.perService.get(entry.subject.service.service))));
    const failed = check.cells.filter((cell) => cell.lifecycle === disruption && cell.status === 'failed').length;
    progress(`${disruption}: ${ms.toFixed(0)} ms; ${failed} cell(s) failed${outcome.problem ? `; ${outcome.problem}` : ''}`);
  }
  progress(`${check.cells.length} of ${owed.length} cells owed`);
  return { audit, check, harnessErrors: completenessErrors(owed, check.cells) };
}
