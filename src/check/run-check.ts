// `persist check`: a copy of the user's project, known data written into every service (a file
// in each data path; the user's own seed command where x-persist gives one), each disruption run
// on the whole copy as a team runs it, and the data read back. Every cell keeps what the user
// needs, what the audit predicted and what happened.
import { join } from 'node:path';
import { auditWithSettings } from '../compose/audit.ts';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import { upgradeMovesData } from '../compose/findings.ts';
import type { ServiceSettings } from '../compose/x-persist.ts';
import { compareFingerprints, type Fingerprint } from '../data/fingerprint.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { describeError, HarnessError } from '../errors.ts';
import type { LedgerLog } from '../backup/ledger.ts';
import type { WriteLoad } from '../crash/write-load.ts';
import { CommandProbe } from '../probes/command-probe.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { FileProbe, probeFileIn } from '../probes/file-probe.ts';
import { ABSENT } from '../probes/probe.ts';
import type { Audit, Check, CheckCell } from '../report/model.ts';
import { ComposeStack } from '../stack/compose-stack.ts';
import { sleep, stopwatch } from '../timing/clock.ts';
import { DISRUPTIONS, type Disruption, predictedAs } from './disruptions.ts';
import { type DatabaseAccess, databaseAccess, probePorts, roundDataset } from './database-probe.ts';
import { untilReady } from './readiness.ts';
import { runUserCommand } from './user-commands.ts';
import { judgeCheckCell, type Observed, requiredFate } from './verdict.ts';

type Progress = (line: string) => void;
type AuditService = Audit['services'][number];
type AuditDataPath = AuditService['dataPaths'][number];

/** One service as the check probes it. */
interface Subject {
  service: AuditService;
  settings: ServiceSettings | undefined;
  files: FileProbe;
  /** The user's seed and fingerprint commands, when x-persist gives them. */
  command: CommandProbe | undefined;
  /** The data path the user's commands are judged by: their first x-persist data path, else the first. */
  primary: AuditDataPath | undefined;
  /** A database the registry recognises, and how to log in to it; none once it proved unreachable. */
  database: DatabaseAccess | undefined;
  /** The data path the server keeps its data in: the dataset is judged by its storage. */
  databasePath: AuditDataPath | undefined;
}

/** What a subject held before a disruption; undefined where nothing could be written. */
interface Seeded {
  subject: Subject;
  files: Fingerprint | undefined;
  command: Fingerprint | undefined;
  /** The dataset written through the server, with the probe that wrote it (its tables are this round's). */
  dataset?: { probe: SqlProbe; before: Fingerprint };
  /** The writes acknowledged while the server was killed. */
  ledger?: LedgerLog;
  problem?: string;
}

export class SeedFailedError extends HarnessError {
  constructor(service: string, detail: string) {
    super(`Seeding ${service} failed before any disruption ran: ${detail}`, 'Fix the seed command in x-persist (or the service), then check again.');
  }
}

function subjectsOf(audit: Audit, settings: Record<string, ServiceSettings>, stack: ComposeStack, progress: Progress): Subject[] {
  return audit.services
    .filter((service) => service.dataPaths.length > 0 || settings[service.service]?.seed !== undefined)
    .map((service) => {
      const own = settings[service.service];
      const declared = own?.data?.[0];
      return {
        service,
        settings: own,
        files: new FileProbe(
          service.service,
          service.dataPaths.map((path) => path.path),
        ),
        command: own?.seed && own.fingerprint ? new CommandProbe(service.service, { seed: own.seed, fingerprint: own.fingerprint }) : undefined,
        primary: service.dataPaths.find((path) => path.path === declared) ?? service.dataPaths[0],
        database: accessOf(service, stack, progress),
        databasePath: service.dataPaths.find((path) => path.origin !== 'x-persist'),
      };
    });
}

function accessOf(service: AuditService, stack: ComposeStack, progress: Progress): DatabaseAccess | undefined {
  const access = databaseAccess(service, stack.environmentOf(service.service), stack.commandOf(service.service));
  if (access && 'reason' in access) progress(`${service.service}: no dataset written through the server (${access.reason}); its data is proven by files`);
  return access && 'target' in access ? access : undefined;
}

/** Which services a disruption is judged on: an upgrade's and a backup's own; every one else. */
function judgedOn(disruption: Disruption, subject: Subject): boolean {
  if (disruption === 'upgrade') return subject.service.upgrade !== undefined;
  if (disruption === 'backup-restore') return subject.settings?.backup !== undefined;
  return true;
}

async function seed(stack: ComposeStack, subject: Subject, round: number, notes: string[]): Promise<Seeded> {
  const beforeAnyDisruption = round === 0;
  const notReady = await untilReady(stack, subject.service, subject.settings?.ready);
  if (notReady) return { subject, files: undefined, command: undefined, problem: `before the disruption, ${notReady}` };
  let files: Fingerprint | undefined;
  let problem: string | undefined;
  try {
    files = await subject.files.seed(stack);
  } catch (error) {
    problem = stack.redact(describeError(error));
  }
  let command: Fingerprint | undefined;
  try {
    command = subject.command ? await subject.command.seed(stack) : undefined;
  } catch (error) {
    const detail = stack.redact(describeError(error));
    // The user's own seed failing is bad input, not a finding about the data: say so before anything is disrupted.
    if (beforeAnyDisruption) throw new SeedFailedError(subject.service.service, detail);
    problem = detail;
  }
  let dataset: Seeded['dataset'];
  if (subject.database) {
    const probe = new SqlProbe(subject.database.target, roundDataset(round), subject.service.service, subject.database.login);
    try {
      dataset = { probe, before: await probe.seed(stack) };
    } catch (error) {
      const detail = stack.redact(describeError(error));
      if (round > 0) problem ??= detail;
      else {
        // The check's own way in failed (a login the service refuses): files still prove the data.
        subject.database = undefined;
        notes.push(`${subject.service.service}: the dataset could not be written through the server (${detail}); its data is proven by files`);
      }
    }
  }
  return { subject, files, command, ...(dataset ? { dataset } : {}), ...(problem ? { problem } : {}) };
}

function cellOf(seeded: Seeded, disruption: Disruption, path: AuditDataPath, probe: CheckCell['probe'], observed: Observed, evidence: string[]): CheckCell {
  const required = requiredFate(disruption, path.storage.kind, path.ephemeral === true);
  const lifecycle = predictedAs(disruption);
  const predicted = lifecycle ? path.fates[lifecycle] : undefined;
  return {
    service: seeded.subject.service.service,
    path: path.path,
    storage: path.storage,
    lifecycle: disruption,
    probe,
    ...(required ? { required } : {}),
    ...(predicted ? { predicted } : {}),
    observed,
    ...judgeCheckCell(required, predicted, observed),
    evidence,
  };
}

function storageWords(path: AuditDataPath): string {
  return `on ${path.storage.kind}${path.storage.target ? ` at ${path.storage.target}` : ''}`;
}

/** Why a subject cannot be read after the disruption, or undefined when it can. */
interface Reading {
  readable: boolean;
  /** "the service did not come back (…)", or the user's command that failed. */
  why: string;
}

async function observeFiles(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading): Promise<CheckCell[]> {
  const { subject } = seeded;
  const readBack = reading.readable ? await subject.files.fingerprint(stack) : {};
  const cells: CheckCell[] = [];
  for (const path of subject.service.dataPaths) {
    const file = probeFileIn(path.path);
    const written = seeded.files?.[file];
    // After an upgrade that moves the data directory, the data is what the new server finds where it looks.
    const moved = disruption === 'upgrade' && subject.service.upgrade ? upgradeMovesData(path, subject.service.upgrade) : undefined;
    const found =
      moved && reading.readable ? (await new FileProbe(subject.service.service, [moved.path]).fingerprint(stack))[probeFileIn(moved.path)] : readBack[file];
    const observed: Observed =
      !reading.readable || !written ? 'unavailable' : compareFingerprints({ [file]: written }, { [file]: found ?? ABSENT }).identical ? 'kept' : 'lost';
    const seen = observed === 'kept' ? 'read back identical' : 'absent or changed';
    const after = observed === 'unavailable' ? reading.why : moved ? `the new image keeps this data in ${moved.path}; there the file is ${seen}` : seen;
    const evidence = written
      ? [`a ${written.rows}-byte file written at ${file} (${path.why}), ${storageWords(path)}`, `after \`${disruption}\`: ${after}`]
      : [`nothing could be written at ${file}: ${seeded.problem ?? path.why}`];
    cells.push(cellOf(seeded, disruption, path, 'file', observed, evidence));
  }
  return cells;
}

function describeOutput(observation: { rows: number; contentHash: string | null }): string {
  return `${observation.rows} bytes (sha256 ${observation.contentHash?.slice(0, 12)})`;
}

async function observeCommand(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading, primary: AuditDataPath): Promise<CheckCell> {
  const { subject } = seeded;
  const fingerprintCommand = `\`${subject.settings?.fingerprint}\``;
  const written = seeded.command ? Object.values(seeded.command)[0] : undefined;
  if (!written)
    return cellOf(seeded, disruption, primary, 'command', 'unavailable', [`the seed command could not run: ${seeded.problem ?? 'the service was not ready'}`]);
  const after = reading.readable ? Object.values((await subject.command?.fingerprint(stack)) ?? {})[0] : undefined;
  const observed: Observed = !after ? 'unavailable' : after.present && after.contentHash === written.contentHash ? 'kept' : 'lost';
  const seen =
    observed === 'unavailable'
      ? reading.why
      : observed === 'kept'
        ? `${fingerprintCommand} printed the same`
        : after?.present
          ? `${fingerprintCommand} printed ${describeOutput(after)}: different`
          : `${fingerprintCommand} failed`;
  return cellOf(seeded, disruption, primary, 'command', observed, [
    `${fingerprintCommand} printed ${describeOutput(written)} after the seed command; the data is in ${primary.path}, ${storageWords(primary)}`,
    `after \`${disruption}\`: ${seen}`,
  ]);
}

async function observeDataset(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading, path: AuditDataPath): Promise<CheckCell> {
  const { probe, before } = seeded.dataset ?? {};
  if (!probe || !before) return cellOf(seeded, disruption, path, 'dataset', 'unavailable', ['the dataset could not be written']);
  const written = `${describeDataset(before)} written through the server, ${storageWords(path)}`;
  if (!reading.readable) return cellOf(seeded, disruption, path, 'dataset', 'unavailable', [written, `after \`${disruption}\`: ${reading.why}`]);
  try {
    const comparison = compareFingerprints(before, await probe.fingerprint(stack));
    const counted = seeded.ledger && probe.ledger ? (await probe.ledger.count(stack, seeded.ledger)).writes : undefined;
    const lostWrites = counted !== undefined && counted.lost > 0;
    const observed: Observed = comparison.identical && !lostWrites ? 'kept' : 'lost';
    const evidence = [written, `after \`${disruption}\`: ${comparison.identical ? 'every table read back identical' : comparison.differences.join('; ')}`];
    if (counted)
      evidence.push(
        `writers committing during the kill: ${counted.acknowledged} acknowledged, ${counted.present} present, ${counted.lost} lost, ${counted.unexpected} unexpected`,
      );
    return { ...cellOf(seeded, disruption, path, 'dataset', observed, evidence), ...(counted ? { writes: counted } : {}) };
  } catch (error) {
    return cellOf(seeded, disruption, path, 'dataset', 'unavailable', [written, `after \`${disruption}\`: ${stack.redact(describeError(error))}`]);
  } finally {
    await probe.release?.();
  }
}

function describeDataset(fingerprint: Fingerprint): string {
  const tables = Object.values(fingerprint);
  return `${tables.reduce((rows, table) => rows + table.rows, 0).toLocaleString('en')} rows in ${tables.length} tables`;
}

async function observe(stack: ComposeStack, seeded: Seeded, disruption: Disruption, problem: string | undefined): Promise<CheckCell[]> {
  const { subject } = seeded;
  const notReady =
    seeded.files === undefined && seeded.command === undefined ? seeded.problem : await untilReady(stack, subject.service, subject.settings?.ready);
  const reading: Reading = {
    readable: notReady === undefined && problem === undefined,
    why: problem ?? `the service did not come back (${notReady ?? seeded.problem ?? 'unknown'})`,
  };
  // A backup and restore is judged by the user's own commands where they gave them: a dump
  // restores the data, not a stray file in the data directory.
  const byFiles = !(disruption === 'backup-restore' && subject.command);
  const cells = byFiles ? await observeFiles(stack, seeded, disruption, reading) : [];
  // A backup of the user's own is judged by their own fingerprint where they gave one.
  if (seeded.dataset && subject.databasePath && !(disruption === 'backup-restore' && subject.command))
    cells.push(await observeDataset(stack, seeded, disruption, reading, subject.databasePath));
  if (subject.command && subject.primary) cells.push(await observeCommand(stack, seeded, disruption, reading, subject.primary));
  return cells;
}

/**
 * Runs the disruption on the whole copy. Returns why a service did not come back (for every
 * service) or, for a backup and restore, the services whose own commands failed.
 */
async function disrupt(
  stack: ComposeStack,
  disruption: Disruption,
  subjects: Subject[],
  backupRoot: string,
): Promise<{ problem?: string; perService: Map<string, string>; notes: string[] }> {
  const perService = new Map<string, string>();
  const notes: string[] = [];
  const done = (problem: string | undefined) => ({ ...(problem ? { problem } : {}), perService, notes });
  switch (disruption) {
    case 'restart':
    case 'up --force-recreate':
    case 'down + up':
    case 'down -v + up':
      return done(await stack.lifecycle(disruption));
    case 'kill':
      return done(await stack.killAll());
    case 'upgrade': {
      const images = Object.fromEntries(subjects.flatMap((s) => (s.service.upgrade ? [[s.service.service, s.service.upgrade.image]] : [])));
      return done(await stack.upgrade(images));
    }
    case 'backup-restore': {
      const procedures = subjects.filter((s) => s.settings?.backup && s.settings.restore);
      for (const subject of procedures) {
        const backup = await runUserCommand(stack, subject.settings?.backup ?? '', {
          service: subject.service.service,
          backupDir: join(backupRoot, subject.service.service),
        });
        notes.push(`${subject.service.service} backup: ${backup.summary}`);
        if (!backup.ok) perService.set(subject.service.service, `the backup failed: ${backup.summary}`);
      }
      const problem = await stack.lifecycle('down -v + up');
      for (const subject of procedures) {
        if (perService.has(subject.service.service)) continue;
        const notReady = await untilReady(stack, subject.service, subject.settings?.ready);
        if (notReady) {
          perService.set(subject.service.service, `before the restore, ${notReady}`);
          continue;
        }
        const restore = await runUserCommand(stack, subject.settings?.restore ?? '', {
          service: subject.service.service,
          backupDir: join(backupRoot, subject.service.service),
        });
        notes.push(`${subject.service.service} restore: ${restore.summary}`);
        if (!restore.ok) perService.set(subject.service.service, `the restore failed: ${restore.summary}`);
      }
      return done(problem);
    }
  }
}

/** The disruptions this project gets: an upgrade only where one is named, a backup only where one is given. */
export function disruptionsFor(audit: Audit, settings: Record<string, ServiceSettings>): Disruption[] {
  return DISRUPTIONS.filter((disruption) => {
    if (disruption === 'upgrade') return audit.services.some((service) => service.upgrade !== undefined);
    if (disruption === 'backup-restore') return Object.values(settings).some((own) => own.backup !== undefined);
    return true;
  });
}

const WRITERS = 2;
const WRITE_BEFORE_KILL_MS = 300;

async function startWriteLoads(stack: ComposeStack, seeded: Seeded[]): Promise<Array<{ entry: Seeded; load: WriteLoad }>> {
  const loads: Array<{ entry: Seeded; load: WriteLoad }> = [];
  for (const entry of seeded) {
    const ledger = entry.dataset?.probe.ledger;
    if (ledger) loads.push({ entry, load: await ledger.startWriters(stack, WRITERS) });
  }
  if (loads.length > 0) await sleep(WRITE_BEFORE_KILL_MS);
  return loads;
}

export async function runCheck(options: ComposeOptions, scope: RunScope, progress: Progress): Promise<{ audit: Audit; check: Check }> {
  const { audit, settings } = await auditWithSettings(options);
  const own = settings.services ?? {};
  progress(`audit: ${audit.findings.filter((f) => f.severity === 'error').length} error finding(s); starting a copy of ${audit.project}`);
  const stack = await ComposeStack.start(scope, options, probePorts(audit.services));
  if (stack.startProblem) progress(`the copy started with a problem: ${stack.startProblem}`);
  const backupRoot = await scope.createHostFolder('check-backups');
  const subjects = subjectsOf(audit, own, stack, progress);
  const check: Check = { copyProject: stack.plan.projectName, replaced: stack.plan.replaced, lifecycles: [], cells: [] };
  for (const [index, disruption] of disruptionsFor(audit, own).entries()) {
    const judged = subjects.filter((subject) => judgedOn(disruption, subject));
    const seeded: Seeded[] = [];
    const notes: string[] = [];
    for (const subject of judged) seeded.push(await seed(stack, subject, index, notes));
    for (const note of notes) progress(note);
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
  return { audit, check };
}
