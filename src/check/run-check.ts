// `persist check`: a copy of the user's project, a known file written into every data path of
// every service, each lifecycle command run on the whole copy as a team runs it, and each file
// read back. Every cell keeps what the user needs, what the audit predicted and what happened.
import { auditProject } from '../compose/audit.ts';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import type { Lifecycle } from '../compose/storage-map.ts';
import { compareFingerprints, type Fingerprint } from '../data/fingerprint.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { execIn } from '../docker/exec.ts';
import { describeError } from '../errors.ts';
import { storageProfile } from '../services/registry.ts';
import { FileProbe, probeFileIn } from '../probes/file-probe.ts';
import { ABSENT } from '../probes/probe.ts';
import type { Audit, Check, CheckCell } from '../report/model.ts';
import { ComposeStack } from '../stack/compose-stack.ts';
import { deadlineIn, sleep, stopwatch } from '../timing/clock.ts';
import { judgeCheckCell, type Observed, requiredFate } from './verdict.ts';

/** The commands a check runs, in this order; `down -v` last, as the control that must lose data. */
export const CHECKED_LIFECYCLE = ['restart', 'up --force-recreate', 'down + up', 'down -v + up'] as const satisfies readonly Lifecycle[];
type Checked = (typeof CHECKED_LIFECYCLE)[number];

type Progress = (line: string) => void;

interface Round {
  probe: FileProbe;
  service: Audit['services'][number];
  /** undefined: the service was not running, so nothing could be written. */
  before: Fingerprint | undefined;
  problem?: string;
}

const READY_LIMIT_MS = 120_000;

/**
 * Until the service runs and, for one the registry knows, its ready command succeeds: a file
 * written into a data directory before the server has initialised it would make it refuse.
 * Returns why it is not ready, or undefined.
 */
async function untilReady(stack: ComposeStack, service: Audit['services'][number]): Promise<string | undefined> {
  const command = storageProfile(service.recognisedAs).readyCommand;
  const deadline = deadlineIn(READY_LIMIT_MS);
  for (;;) {
    if (!stack.hasContainer(service.service)) return `${service.service} has no container`;
    const state = await stack.inspect(service.service);
    // An exited container is the service's answer (it refused, or crashed): no point waiting.
    if (!state.running) return `${service.service} exited with code ${state.exitCode}`;
    if (!command || (await execIn(stack.containerId(service.service), [...command])).exitCode === 0) return undefined;
    if (deadline.passed()) return `${service.service} was not ready after ${READY_LIMIT_MS / 1000} s (\`${command.join(' ')}\` kept failing)`;
    await sleep(500);
  }
}

async function seedAll(stack: ComposeStack, audit: Audit): Promise<Round[]> {
  const rounds: Round[] = [];
  for (const service of audit.services.filter((s) => s.dataPaths.length > 0)) {
    const probe = new FileProbe(
      service.service,
      service.dataPaths.map((path) => path.path),
    );
    const notReady = await untilReady(stack, service);
    if (notReady) {
      rounds.push({ probe, service, before: undefined, problem: `before the command, ${notReady}` });
      continue;
    }
    try {
      rounds.push({ probe, service, before: await probe.seed(stack) });
    } catch (error) {
      rounds.push({ probe, service, before: undefined, problem: describeError(error) });
    }
  }
  return rounds;
}

async function observe(stack: ComposeStack, round: Round, lifecycle: Checked, problem: string | undefined): Promise<CheckCell[]> {
  const notReady = round.before === undefined ? round.problem : await untilReady(stack, round.service);
  const running = notReady === undefined;
  const after = running ? await round.probe.fingerprint(stack) : {};
  return round.service.dataPaths.map((path): CheckCell => {
    const file = probeFileIn(path.path);
    const written = round.before?.[file];
    const observed: Observed =
      !running || !written ? 'unavailable' : compareFingerprints({ [file]: written }, { [file]: after[file] ?? ABSENT }).identical ? 'kept' : 'lost';
    const required = requiredFate(lifecycle, path.storage.kind, path.ephemeral === true);
    const predicted = path.fates[lifecycle];
    const verdict = judgeCheckCell(required, predicted, observed);
    const evidence = [
      written
        ? `a ${written.rows}-byte file written at ${file} (${path.why}), on ${path.storage.kind}${path.storage.target ? ` at ${path.storage.target}` : ''}`
        : `nothing could be written at ${file} (${path.why})`,
      `after \`${lifecycle}\`: ${observed === 'unavailable' ? `the service did not come back (${notReady ?? problem ?? 'unknown'})` : observed === 'kept' ? 'read back identical' : 'absent or changed'}`,
    ];
    return {
      service: round.service.service,
      path: path.path,
      storage: path.storage,
      lifecycle,
      ...(required ? { required } : {}),
      ...(predicted ? { predicted } : {}),
      observed,
      ...verdict,
      evidence,
    };
  });
}

export async function runCheck(options: ComposeOptions, scope: RunScope, progress: Progress): Promise<{ audit: Audit; check: Check }> {
  const audit = await auditProject(options);
  progress(`audit: ${audit.findings.filter((f) => f.severity === 'error').length} error finding(s); starting a copy of ${audit.project}`);
  const stack = await ComposeStack.start(scope, options);
  if (stack.startProblem) progress(`the copy started with a problem: ${stack.startProblem}`);
  const check: Check = { copyProject: stack.plan.projectName, replaced: stack.plan.replaced, lifecycles: [], cells: [] };
  for (const lifecycle of CHECKED_LIFECYCLE) {
    const rounds = await seedAll(stack, audit);
    const watch = stopwatch();
    const problem = await stack.lifecycle(lifecycle);
    check.lifecycles.push({ lifecycle, ms: watch.ms(), ...(problem ? { problem } : {}) });
    for (const round of rounds) check.cells.push(...(await observe(stack, round, lifecycle, problem)));
    const failed = check.cells.filter((cell) => cell.lifecycle === lifecycle && cell.status === 'failed').length;
    progress(`${lifecycle}: ${watch.ms().toFixed(0)} ms; ${failed} cell(s) failed${problem ? `; ${problem}` : ''}`);
  }
  return { audit, check };
}
