// One backup drill: seed a service's volume with known data, keep writes going, back it up,
// destroy the original volume, restore into a new one, start the service on it and prove the
// data. The result says what survived, how long each step took (the RTO achieved), how big
// the backup was, and which acknowledged writes the restore lost (the RPO).
import type { ImageChoice } from '../config.ts';
import { summariseFingerprint } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { inspectContainer, readLogs, removeContainer, startExisting, stopGracefully } from '../docker/containers.ts';
import { docker, statusCode } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { BackupFacts, CellResult, Outcome, Phase } from '../report/model.ts';
import { recoveryOf, round } from '../report/stats.ts';
import { assembleResult, runTrials, type TrialRecord } from '../matrix/assemble.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { describeRpo, emptyLedger, evaluateLedger, mergeLedgers, nextLedgerId, type LedgerLog, type LedgerWriter } from './ledger.ts';
import { CorruptBackupError } from './manifest.ts';
import { BackupFailedError, RestoreFailedError, type Backup, type BackupMethod, type Workspace } from './method.ts';
import { compareSnapshots, type BackupSubject, type Snapshot, type SubjectEnv, type SubjectSession } from './subjects.ts';

/** How long the ledger writer runs before the backup, and after it before the volume is destroyed. */
const WRITES_BEFORE_MS = 400;
const WRITES_AFTER_MS = 400;

export interface DrillSpec {
  scenario: string;
  subject: BackupSubject;
  method: BackupMethod;
  expected: Outcome;
  /** Set for the user's procedures and negative controls: part of the id and title. */
  variant?: string;
  title?: string;
}

export interface DrillContext {
  scope: RunScope;
  trials: number;
  dataset: Dataset;
  images: { service: ImageChoice; toolbox: ImageChoice };
  /** A host folder; each trial gets its own under it when not set. */
  backupDir?: string;
}

export function drillId(spec: Pick<DrillSpec, 'subject' | 'method' | 'variant'>): string {
  return `${spec.subject.name}/backup-restore/${spec.variant ?? `${spec.method.name}-${spec.method.mode}`}`;
}

export async function runDrill(spec: DrillSpec, context: DrillContext): Promise<CellResult> {
  const id = drillId(spec);
  const { records, error } = await runTrials(id, context.trials, context.scope, (trial, scope) => runTrial(spec, context, trial, scope));
  const identity = {
    id,
    scenario: spec.scenario,
    title: spec.title ?? `${spec.subject.displayName}: ${spec.method.title}`,
    target: spec.subject.name,
    storage: 'named-volume' as const,
    disruption: 'backup-restore' as const,
    variant: spec.variant ?? `${spec.method.name}-${spec.method.mode}`,
    expected: spec.expected,
  };
  return assembleResult(identity, context.images.service.reference, records, error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runTrial(spec: DrillSpec, context: DrillContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { subject, method } = spec;
  const env: SubjectEnv = { scope, image: context.images.service.reference, toolboxImage: context.images.toolbox.reference };
  const evidence: string[] = [];
  const phasesMs: Partial<Record<Phase, number>> = {};
  const say = (step: string) => progress(`${drillId(spec)}: trial ${trial}: ${step}`);
  const backupDir = context.backupDir ?? (await scope.createHostFolder('backups'));

  // Seed: the service on a fresh named volume, the dataset written and fingerprinted.
  const volume = await scope.createVolume(`${subject.name}-data`);
  let service = await subject.create(env, volume);
  let session = await subject.connect(env, service, context.dataset);
  const serverVersion = await session.serverVersion();
  await session.seed();
  const before = await session.snapshot();
  evidence.push(`seeded volume ${volume}: ${summariseFingerprint(before.fingerprint)}`);

  // Writes keep going while the backup is taken (or up to it, when the method quiesces).
  let ledger: LedgerLog = emptyLedger();
  let writer: LedgerWriter | undefined = await session.startWriter(1);
  await sleep(WRITES_BEFORE_MS);

  say(`backing up (${method.title})`);
  let clock = performance.now();
  if (method.quiesce) {
    ledger = mergeLedgers(ledger, await writer.stop());
    writer = undefined;
    await session.close();
    const stopped = await stopGracefully(service.id);
    evidence.push(`quiesced: the service was stopped for the backup (exit code ${stopped.exitCode})`);
  }
  const backupStartedAt = Date.now();
  let backup: Backup;
  try {
    backup = await method.backup({ scope, subject, toolboxImage: env.toolboxImage, backupDir, volume, service: method.quiesce ? undefined : service, evidence });
  } catch (caught) {
    if (!(caught instanceof BackupFailedError)) throw caught;
    // A backup that fails is the finding: there is nothing to restore.
    if (writer) await writer.stop();
    evidence.push(`backup failed: ${caught.message}`);
    return finding(spec, trial, { before, serverVersion, evidence, phasesMs, imageId: (await inspectContainer(service.id)).imageId, facts: baseFacts(method, [], 'unchecked') });
  }
  phasesMs.backup = round(performance.now() - clock);
  evidence.push(`backup: ${backup.name}, ${backup.bytes} bytes${backup.sha256 ? `, sha256 ${backup.sha256.slice(0, 16)}…` : ''}${backup.entries !== null ? `, ${backup.entries} entries in its manifest` : ''}`);
  if (method.quiesce) {
    await startExisting(service.id);
    session = await subject.connect(env, service, context.dataset);
    writer = await session.startWriter(nextLedgerId(ledger));
  }
  await sleep(WRITES_AFTER_MS);
  if (writer) ledger = mergeLedgers(ledger, await writer.stop());
  await session.close();

  // Destroy the original: its container and its volume are gone before anything is restored.
  await removeContainer(service.id);
  await removeVolume(volume);
  evidence.push(`destroyed: the service's container and the original volume ${volume} were removed`);

  const restoredVolume = await scope.createVolume(`${subject.name}-restored`);
  const facts = baseFacts(method, backup.commands, backup.file ? 'verified' : 'unchecked', backup);
  const restoreWorkspace: Workspace = { scope, subject, toolboxImage: env.toolboxImage, backupDir, volume: restoredVolume, evidence, service: undefined };
  say(`restoring into ${restoredVolume}`);

  const restore = async (): Promise<boolean> => {
    const started = performance.now();
    try {
      await method.restore(backup, restoreWorkspace);
    } catch (caught) {
      if (!(caught instanceof CorruptBackupError || caught instanceof RestoreFailedError)) throw caught;
      if (caught instanceof CorruptBackupError) facts.integrity = 'corrupt';
      evidence.push(`restore refused: ${caught.message}`);
      // Never leave a half-written volume behind silently: remove it, and say so.
      if (restoreWorkspace.service) await removeContainer(restoreWorkspace.service.id);
      await removeVolume(restoredVolume);
      evidence.push(`the restore target ${restoredVolume} was removed, so no half-restored volume is left behind`);
      return false;
    }
    phasesMs.restore = round(performance.now() - started);
    return true;
  };

  let after: Snapshot | undefined;
  let presentIds: number[] = [];
  let restoredSession: SubjectSession | undefined;
  try {
    if (method.restoresInto === 'volume' && !(await restore())) return finding(spec, trial, { before, serverVersion, evidence, phasesMs, imageId: '', facts });
    clock = performance.now();
    service = await subject.create(env, restoredVolume);
    restoreWorkspace.service = service;
    phasesMs.create = round(performance.now() - clock);
    clock = performance.now();
    restoredSession = await subject.connect(env, service, context.dataset);
    phasesMs.ready = round(performance.now() - clock);
    if (method.restoresInto === 'service' && !(await restore())) return finding(spec, trial, { before, serverVersion, evidence, phasesMs, imageId: '', facts });
    facts.restoredServiceStarted = true;
    clock = performance.now();
    after = await restoredSession.snapshot();
    presentIds = await restoredSession.ledgerIds();
    phasesMs.verified = round(performance.now() - clock);
  } catch (caught) {
    // The service not starting on the restored data is a finding about the backup.
    if (!(caught instanceof ContainerExitedError)) throw caught;
    evidence.push(`the service did not start on the restored volume: ${caught.message}`);
  } finally {
    await restoredSession?.close();
  }

  const logs = restoreWorkspace.service ? await readLogs(restoreWorkspace.service.id) : '';
  facts.crashRecovery = subject.crashRecoveryMarkers.length > 0 ? subject.crashRecoveryMarkers.some((marker) => marker.test(logs)) : null;
  if (facts.crashRecovery !== null) evidence.push(facts.crashRecovery ? 'the restored service ran crash recovery: the backup was taken from a running server' : 'the restored service started without crash recovery');
  if (method.restoresInto === 'volume' && subject.initialisationMarkers.some((marker) => marker.test(logs))) {
    evidence.push(`re-initialised: the service found no data in ${subject.dataDir} on the restored volume and initialised a fresh one`);
  }
  if (!after) return finding(spec, trial, { before, serverVersion, evidence, phasesMs, imageId: '', facts });

  const comparison = compareSnapshots(before, after);
  facts.rpo = evaluateLedger(ledger, presentIds, backup.startedAt ?? backupStartedAt);
  evidence.push(`after the restore: ${summariseFingerprint(after.fingerprint)}`);
  evidence.push(...comparison.differences);
  evidence.push(describeRpo(facts.rpo));
  const observed: Outcome = comparison.identical && facts.rpo.missingBeforeBackup === 0 && facts.rpo.unexpected === 0 ? 'survives' : 'lost';
  say(`${observed} (expected ${spec.expected})`);
  const imageId = (await inspectContainer(service.id)).imageId;
  return {
    outcome: { trial, observed, reinitialised: false, cleanShutdown: !facts.crashRecovery, differences: comparison.differences },
    matches: observed === spec.expected,
    backup: facts,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: before.fingerprint,
    after: after.fingerprint,
    rowsLost: comparison.lost,
    rowsUnexpected: comparison.unexpected,
    imageId,
    serverVersion,
    evidence,
  };
}

function baseFacts(method: BackupMethod, commands: string[], integrity: BackupFacts['integrity'], backup?: Backup): BackupFacts {
  return {
    method: method.name,
    mode: method.mode,
    commands,
    archive: backup ? { name: backup.name, bytes: backup.bytes, sha256: backup.sha256, entries: backup.entries } : null,
    integrity,
    restoredServiceStarted: false,
    crashRecovery: null,
    rpo: null,
    ...(backup?.rotation ? { rotation: backup.rotation } : {}),
  };
}

interface FindingParts {
  before: Snapshot;
  serverVersion: string;
  evidence: string[];
  phasesMs: Partial<Record<Phase, number>>;
  imageId: string;
  facts: BackupFacts;
}

/** Nothing came back to compare: everything seeded counts as lost. */
function finding(spec: DrillSpec, trial: number, parts: FindingParts): TrialRecord {
  const rowsLost = parts.before.listing ? parts.before.listing.size : Object.values(parts.before.fingerprint).reduce((n, t) => n + t.rows, 0);
  progress(`${drillId(spec)}: trial ${trial}: lost (expected ${spec.expected})`);
  return {
    outcome: { trial, observed: 'lost', reinitialised: false, cleanShutdown: false, differences: ['nothing could be restored'] },
    matches: spec.expected === 'lost',
    backup: parts.facts,
    timing: { trial, phasesMs: parts.phasesMs, recoveryMs: null },
    before: parts.before.fingerprint,
    after: {},
    rowsLost,
    rowsUnexpected: 0,
    imageId: parts.imageId,
    serverVersion: parts.serverVersion,
    evidence: parts.evidence,
  };
}

/** Removes a volume and proves it is gone. */
async function removeVolume(name: string): Promise<void> {
  try {
    await docker().getVolume(name).remove();
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
  const stillThere = await docker().getVolume(name).inspect().then(() => true, (error: unknown) => statusCode(error) !== 404);
  if (stillThere) throw new Error(`volume ${name} is still there after its removal`);
}
