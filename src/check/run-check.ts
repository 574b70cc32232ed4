// `persist check`: a copy of the user's project, known data written into every service (a file
// in each data path, a dataset through each database the registry recognises, a site
// over HTTP (WordPress's), the user's own seed command where x-persist gives one), each disruption run
// on the whole copy as a team runs it, and the data read back. Every cell keeps what the user
// needs, what the audit predicted and what happened.
import { auditWithSettings } from '../compose/audit-project.ts';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { describeError } from '../errors.ts';
import type { Audit, Check } from '../report/model.ts';
import { ComposeStack } from '../compose/compose-stack.ts';
import { stopwatch } from '../timing/clock.ts';
import { type CheckDrill, chosenDisruptions, drillsFor } from './drills/all.ts';
import { judgedUpTo } from '../probes/ledger.ts';
import { requirePowerCuts } from '../docker/power-cut-ready.ts';
import { startWriteLoads } from './write-loads.ts';
import { observe } from './check-observe.ts';
import { closure, selectServices } from './selection.ts';
import { type FetchChoice, fetchImages } from '../compose/fetch-images.ts';
import { type CellPlace, completenessErrors, owedCells } from './check-plan.ts';
import { type Progress, probePortsOf, type Seeded, type Subject, seed, subjectsOf } from './check-subjects.ts';

export interface CheckOutcome {
  audit: Audit;
  check: Check;
  /** What kept the check from being complete: each a harness error, so the check cannot pass. */
  harnessErrors: string[];
}

export interface CheckOptions extends ComposeOptions, FetchChoice {
  /** --services: check these (and what they depend on) instead of every service. */
  services?: string[];
  /** --offline: the audit asks no registry. */
  offline?: boolean;
  /** --disruptions: these (by name, checked here), in the check's order, instead of every one but the power cut. */
  disruptions?: string[];
}

export async function runCheck(options: CheckOptions, scope: RunScope, progress: Progress): Promise<CheckOutcome> {
  const chosen = chosenDisruptions(options.disruptions);
  // A power cut needs this host's disks: said in one sentence before anything starts.
  if (chosen.includes('power-cut')) await requirePowerCuts();
  const facts = { offline: options.offline === true };
  let audited = await auditWithSettings(options, scope.runId, facts);
  // The copy runs the project's own images, never pulling or building them unless asked (--pull, --build).
  const candidates = options.services ? closure(audited.project.services, options.services) : undefined;
  const wanted = audited.missing.filter((entry) => candidates?.includes(entry.service) ?? true);
  if ((options.pull || options.build) && (await fetchImages(options, wanted, options, progress)) > 0)
    audited = await auditWithSettings(options, scope.runId, facts);
  const { audit: whole, settings, missing, project } = audited;
  // A service still without its image is left out, with the reason.
  const selection = selectServices(project.services, missing, options.services);
  for (const { service, reason } of selection.leftOut) progress(`${service}: left out: ${reason}`);
  const audit = { ...whole, services: whole.services.filter((service) => selection.checked.includes(service.service)) };
  const own = settings.services ?? {};
  progress(`audit: ${whole.findings.filter((f) => f.severity === 'error').length} error finding(s); starting a copy of ${whole.project}`);
  const only = selection.checked.length < project.services.length ? selection.checked : undefined;
  // The copy is planned from the model the audit read: the project is read once.
  const stack = await ComposeStack.start(scope, options, { ports: probePortsOf(audit), only, model: project.model });
  if (stack.startProblem) progress(`the copy started with a problem: ${stack.startProblem}`);
  const round: Round = {
    stack,
    scope,
    subjects: subjectsOf(audit, own, stack, progress),
    backupRoot: await scope.createHostFolder('check-backups'),
    check: {
      copyProject: stack.plan.projectName,
      replaced: stack.plan.replaced,
      ...(selection.leftOut.length > 0 ? { leftOut: selection.leftOut } : {}),
      lifecycles: [],
      cells: [],
    },
    progress,
  };
  const disruptions = drillsFor(audit, own, chosen);
  let owed: CellPlace[] | undefined;
  const harnessErrors: string[] = [];
  for (const [index, drill] of disruptions.entries()) {
    try {
      await runRound(round, drill, index, () => {
        // What the check owes is settled once the first round is written: a probe that could not log in then is dropped, none after.
        owed ??= owedCells(
          round.subjects,
          disruptions.map((each) => each.name),
        );
      });
    } catch (error) {
      // Before the first disruption, a failure is the project's (a seed command that fails): said as one sentence.
      if (owed === undefined) throw error;
      harnessErrors.push(`The check stopped during \`${drill.name}\`: ${stack.redact(describeError(error))}`);
      break;
    }
  }
  const { cells } = round.check;
  progress(`${cells.length} of ${owed?.length ?? 0} cells owed`);
  return { audit: whole, check: round.check, harnessErrors: [...harnessErrors, ...completenessErrors(owed ?? [], cells)] };
}

/** What every round of the check works on. */
interface Round {
  stack: ComposeStack;
  scope: RunScope;
  subjects: Subject[];
  backupRoot: string;
  check: Check;
  progress: Progress;
}

/** One disruption: this round's data written, the disruption run on the whole copy, every owed cell read back. */
async function runRound(round: Round, drill: CheckDrill, index: number, written: () => void): Promise<void> {
  const { stack, check, progress } = round;
  const disruption = drill.name;
  const judged = round.subjects.filter((subject) => drill.judges(subject));
  const seeded: Seeded[] = [];
  const prepared = (await drill.prepare?.(stack, judged, round.scope)) ?? { notes: [] };
  const notes: string[] = [...prepared.notes];
  if (prepared.problem) notes.push(`before \`${disruption}\`, the copy did not come back whole: ${prepared.problem}`);
  for (const subject of judged) seeded.push(await seed(stack, subject, index, notes, { objects: drill.comparesObjects === true }));
  for (const note of notes) progress(note);
  written();
  const loads = drill.underWriteLoad ? await startWriteLoads(stack, seeded) : [];
  const watch = stopwatch();
  const outcome = await drill.run(stack, judged, round.backupRoot);
  const ms = watch.ms();
  for (const { entry, load } of loads) entry.ledger = judgedUpTo(await load.stop(), outcome.judgeWritesBefore).judged;
  check.lifecycles.push({
    lifecycle: disruption,
    ms,
    ...(outcome.problem ? { problem: outcome.problem } : {}),
    ...(outcome.notes.length > 0 ? { steps: outcome.notes } : {}),
  });
  for (const note of outcome.notes) progress(`  ${note}`);
  for (const entry of seeded) {
    const service = entry.subject.service.service;
    const cells = await observe(stack, entry, disruption, outcome.perService.get(service));
    const why = outcome.explanations?.get(service);
    check.cells.push(...cells.map((cell) => (why && cell.observed === 'lost' ? { ...cell, evidence: [...cell.evidence, `${service} ${why}`] } : cell)));
  }
  const failed = check.cells.filter((cell) => cell.lifecycle === disruption && cell.status === 'failed').length;
  progress(`${disruption}: ${ms.toFixed(0)} ms; ${failed} cell(s) failed${outcome.problem ? `; ${outcome.problem}` : ''}`);
}
