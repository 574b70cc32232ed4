// One backup drill: seed a service's volume with known data, keep writes going, back it up,
// destroy the original volume, restore into a new one, start the service on it and prove the
// data. The result says what survived, how long each step took (the RTO achieved), how big
// the backup was, and which acknowledged writes the restore lost (the RPO).
import type { Dataset } from '../data/dataset.ts';
import type { InventoryObject } from '../data/inventory.ts';
import { logsOnceReady, readLogs } from '../docker/containers.ts';
import { docker, statusCode } from '../docker/engine.ts';
import { removeVolume, type RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { BackupFacts, CellResult, Outcome, Phase } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { type ImagesDrillContext, identify, runDrill, type DrillSpec } from '../drill/drill.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { describeRpo, emptyLedger, evaluateLedger, mergeLedgers, nextLedgerId, type LedgerLog, type LedgerWriter } from '../probes/ledger.ts';
import { CorruptBackupError } from './manifest.ts';
import { BackupFailedError, RestoreFailedError, type Backup, type BackupMethod, type Workspace } from './method.ts';
import {
  compareSnapshots,
  describeSnapshot,
  type BackupSubject,
  type ServiceHandle,
  type Snapshot,
  type SubjectEnv,
  type SubjectSession,
} from '../services/backup-subject-shape.ts';
import { harnessNowMs, sleep, stopwatch } from '../timing/clock.ts';

/** How long the ledger writer runs before the backup, and after it before the volume is destroyed. */
const WRITES_BEFORE_MS = 400;
const WRITES_AFTER_MS = 400;

export interface BackupDrillSpec extends DrillSpec {
  subject: BackupSubject;
  method: BackupMethod;
  /** Set for the user's procedures and negative controls: part of the id and title. */
  variant?: string;
  title?: string;
}

export interface BackupContext extends ImagesDrillContext<'service' | 'toolbox'> {
  dataset: Dataset;
  /** A host folder; each trial gets its own under it when not set. */
  backupDir?: string;
}

export function drillId(spec: Pick<BackupDrillSpec, 'subject' | 'method' | 'variant'>): string {
  return `${spec.subject.name}/backup-restore/${spec.variant ?? `${spec.method.name}-${spec.method.mode}`}`;
}

export async function runBackupDrill(spec: BackupDrillSpec, context: BackupContext): Promise<CellResult> {
  const id = drillId(spec);
  const identity = identify(
    { target: spec.subject.name, storage: 'named-volume', disruption: 'backup-restore', variant: spec.variant ?? `${spec.method.name}-${spec.method.mode}` },
    { scenario: spec.scenario, title: spec.title ?? `${spec.subject.displayName}: ${spec.method.title}`, expected: spec.expected, id },
  );
  return runDrill({ identity, image: context.images.service.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope) }, context);
}

async function runTrial(spec: BackupDrillSpec, context: BackupContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const drill = new DrillTrial(spec, context, trial, scope);
  const seeded = await drill.seed();
  const taken = await drill.backUpWhileWriting(seeded);
  if (!taken.backup) return drill.nothingRestored(seeded, baseFacts(spec.method, [], 'unchecked'));
  await drill.destroyOriginal(seeded);
  const restored = await drill.restoreAndStart(taken.backup);
  if (!restored.after) return drill.nothingRestored(seeded, restored.facts);
  return drill.judge(seeded, taken, restored);
}

interface Seeded {
  volume: string;
  service: ServiceHandle;
  session: SubjectSession;
  before: Snapshot;
  serverVersion: string;
}

interface Taken {
  backup: Backup | undefined;
  ledger: LedgerLog;
  backupStartedAt: number;
}

interface Restored {
  facts: BackupFacts;
  service: ServiceHandle | undefined;
  after: Snapshot | undefined;
  presentIds: number[];
  reinitialised: boolean;
}

/** One trial's steps, in order; each adds its evidence and times its phase. */
class DrillTrial {
  private readonly evidence: string[] = [];
  private readonly phasesMs: Partial<Record<Phase, number>> = {};
  private readonly env: SubjectEnv;
  private backupDir: string | undefined;
  private dataDir: string | undefined;
  private readonly spec: BackupDrillSpec;
  private readonly context: BackupContext;
  private readonly trial: number;
  private readonly scope: RunScope;

  constructor(spec: BackupDrillSpec, context: BackupContext, trial: number, scope: RunScope) {
    this.spec = spec;
    this.context = context;
    this.trial = trial;
    this.scope = scope;
    this.env = { scope, image: context.images.service.reference, toolboxImage: context.images.toolbox.reference };
  }

  private say(step: string): void {
    progress(`${drillId(this.spec)}: trial ${this.trial}: ${step}`);
  }

  /** Times an operation into a phase. */
  private async timed<T>(phase: Phase, operation: () => Promise<T>): Promise<T> {
    const started = stopwatch();
    const result = await operation();
    this.phasesMs[phase] = started.ms();
    return result;
  }

  /** The service on a fresh named volume, the dataset written and fingerprinted. */
  async seed(): Promise<Seeded> {
    const { subject } = this.spec;
    this.backupDir = this.context.backupDir ?? (await this.scope.createHostFolder('backups'));
    this.dataDir = await subject.dataMount(this.env.image);
    const own = await this.spec.method.dataVolume?.(this.scope, `${subject.name}-data`, this.env.toolboxImage);
    const volume = own?.volume ?? (await this.scope.createVolume(`${subject.name}-data`));
    const initialised = await subject.initialise?.(this.env, volume, this.context.scope);
    if (initialised) this.evidence.push(initialised);
    if (own) this.evidence.push(await own.settle());
    const service = await subject.create(this.env, volume);
    const session = await subject.connect(this.env, service, this.context.dataset);
    const serverVersion = await session.serverVersion();
    await session.seed();
    const before = await withObjects(session, await session.snapshot());
    this.evidence.push(`seeded volume ${volume}: ${describeSnapshot(before)}`);
    return { volume, service, session, before, serverVersion };
  }

  /**
   * Writes keep going while the backup is taken, or up to it when the method quiesces the
   * service (then it is started again afterwards), and for a while after it.
   */
  async backUpWhileWriting(seeded: Seeded): Promise<Taken> {
    const { subject, method } = this.spec;
    let ledger = emptyLedger();
    let session = seeded.session;
    let writer: LedgerWriter | undefined = await session.startWriter(1);
    await sleep(WRITES_BEFORE_MS);

    this.say(`backing up (${method.title})`);
    const started = stopwatch();
    if (method.quiesce) {
      ledger = mergeLedgers(ledger, await writer.stop());
      writer = undefined;
      await session.close();
      const stopped = await seeded.service.stack.stop(seeded.service.service);
      this.evidence.push(`quiesced: the service was stopped for the backup (exit code ${stopped.exitCode})`);
    }
    const backupStartedAt = harnessNowMs();
    let backup: Backup;
    try {
      backup = await method.backup({ ...this.workspace(seeded.volume), service: method.quiesce ? undefined : seeded.service });
    } catch (caught) {
      if (!(caught instanceof BackupFailedError)) throw caught;
      // A backup that fails is the finding: there is nothing to restore.
      if (writer) ledger = mergeLedgers(ledger, await writer.stop());
      this.evidence.push(`backup failed: ${caught.message}`);
      return { backup: undefined, ledger, backupStartedAt };
    }
    this.phasesMs.backup = started.ms();
    this.evidence.push(`backup: ${describeBackup(backup)}`);

    if (method.quiesce) {
      await seeded.service.stack.start(seeded.service.service);
      session = await subject.connect(this.env, seeded.service, this.context.dataset);
      writer = await session.startWriter(nextLedgerId(ledger));
    }
    await sleep(WRITES_AFTER_MS);
    if (writer) ledger = mergeLedgers(ledger, await writer.stop());
    await session.close();
    return { backup, ledger, backupStartedAt };
  }

  /** The original container and volume are gone before anything is restored. */
  async destroyOriginal(seeded: Seeded): Promise<void> {
    await seeded.service.stack.remove(seeded.service.service);
    await removeVolumeForGood(seeded.volume);
    this.evidence.push(`destroyed: the service's container and the original volume ${seeded.volume} were removed`);
  }

  /**
   * Restores into a new, empty volume and starts the service on it: into the volume first,
   * or (database dumps) into a fresh service started on it. A service that does not start on
   * the restored data is a finding about the backup.
   */
  async restoreAndStart(backup: Backup): Promise<Restored> {
    const { subject, method } = this.spec;
    const volume = await this.scope.createVolume(`${subject.name}-restored`);
    const facts = baseFacts(method, backup.commands, backup.file || backup.files?.length ? 'verified' : 'unchecked', backup);
    const workspace = this.workspace(volume);
    const restored: Restored = { facts, service: undefined, after: undefined, presentIds: [], reinitialised: false };
    this.say(`restoring into ${volume}`);

    let session: SubjectSession | undefined;
    try {
      if (method.restoresInto === 'volume' && !(await this.restore(backup, workspace, facts))) return restored;
      restored.service = await this.timed('create', () => subject.create(this.env, volume));
      workspace.service = restored.service;
      session = await this.timed('ready', () => subject.connect(this.env, restored.service!, this.context.dataset));
      if (method.restoresInto === 'service' && !(await this.restore(backup, workspace, facts))) return restored;
      facts.restoredServiceStarted = true;
      const verifying = session;
      await this.timed('verified', async () => {
        restored.after = await verifying.snapshot();
        restored.presentIds = await verifying.ledgerIds();
      });
      restored.after = await withObjects(verifying, restored.after!);
    } catch (caught) {
      if (!(caught instanceof ContainerExitedError)) throw caught;
      this.evidence.push(`the service did not start on the restored volume: ${caught.message}`);
    } finally {
      await session?.close();
    }
    if (restored.service) restored.reinitialised = await this.readStartLogs(restored.service, facts);
    return restored;
  }

  /** Runs the method's restore; on failure removes what it wrote, so nothing half-restored stays. */
  private async restore(backup: Backup, workspace: Workspace, facts: BackupFacts): Promise<boolean> {
    try {
      await this.timed('restore', () => this.spec.method.restore(backup, workspace));
      return true;
    } catch (caught) {
      if (!(caught instanceof CorruptBackupError || caught instanceof RestoreFailedError)) throw caught;
      if (caught instanceof CorruptBackupError) facts.integrity = 'corrupt';
      this.evidence.push(`${caught instanceof CorruptBackupError ? 'restore refused' : 'restore failed'}: ${caught.message}`);
      if (workspace.service) await workspace.service.stack.remove(workspace.service.service);
      await removeVolumeForGood(workspace.volume);
      this.evidence.push(`the restore target ${workspace.volume} was removed, so no half-restored volume is left behind`);
      return false;
    }
  }

  /** Crash recovery and re-initialisation, from what the restored service printed. */
  private async readStartLogs(service: ServiceHandle, facts: BackupFacts): Promise<boolean> {
    const { subject, method } = this.spec;
    const logs = facts.restoredServiceStarted ? await logsOnceReady(service.id, subject.readyMarker) : await readLogs(service.id);
    const crashRecovery = subject.crashRecoveryMarkers.some((marker) => marker.test(logs));
    if (subject.crashRecoveryMarkers.length > 0 && (facts.restoredServiceStarted || crashRecovery)) {
      facts.crashRecovery = crashRecovery;
      this.evidence.push(
        crashRecovery
          ? 'the restored service ran crash recovery: its files were copied from a running server'
          : 'the restored service started without crash recovery',
      );
    }
    const reinitialised = method.restoresInto === 'volume' && subject.initialisationMarkers.some((marker) => marker.test(logs));
    if (reinitialised)
      this.evidence.push(`re-initialised: the service found no data in ${this.dataDir} on the restored volume and ran its first-start initialisation`);
    return reinitialised;
  }

  /** Same data as seeded, nothing acknowledged before the backup missing, nothing unexpected. */
  async judge(seeded: Seeded, taken: Taken, restored: Restored): Promise<TrialRecord> {
    const after = restored.after!;
    const { facts } = restored;
    const comparison = compareSnapshots(seeded.before, after);
    facts.rpo = evaluateLedger(taken.ledger, restored.presentIds, taken.backup?.startedAt ?? taken.backupStartedAt);
    if (comparison.objects) facts.objects = { kept: comparison.objects.kept.map(objectRef), lost: comparison.objects.lost.map(objectRef) };
    this.evidence.push(`after the restore: ${describeSnapshot(after)}`, ...comparison.differences, describeRpo(facts.rpo));
    const observed: Outcome = comparison.identical && facts.rpo.missingBeforeBackup === 0 && facts.rpo.unexpected === 0 ? 'survives' : 'lost';
    this.say(`${observed} (expected ${this.spec.expected})`);
    return {
      outcome: {
        trial: this.trial,
        observed,
        reinitialised: restored.reinitialised,
        cleanShutdown: facts.crashRecovery !== true,
        differences: comparison.differences,
      },
      matches: observed === this.spec.expected,
      details: facts,
      timing: { trial: this.trial, phasesMs: this.phasesMs, recoveryMs: recoveryOf(this.phasesMs) },
      before: seeded.before.fingerprint,
      after: after.fingerprint,
      rowsLost: comparison.lost,
      rowsUnexpected: comparison.unexpected,
      imageId: restored.service ? (await restored.service.stack.inspect(restored.service.service)).imageId : '',
      serverVersion: seeded.serverVersion,
      evidence: this.evidence,
    };
  }

  /** Nothing came back to compare: everything seeded counts as lost. */
  nothingRestored(seeded: Seeded, facts: BackupFacts): TrialRecord {
    const { before } = seeded;
    const rowsLost = before.listing ? before.listing.size : Object.values(before.fingerprint).reduce((n, t) => n + t.rows, 0);
    this.say(`lost (expected ${this.spec.expected})`);
    return {
      outcome: { trial: this.trial, observed: 'lost', reinitialised: false, cleanShutdown: false, differences: ['nothing could be restored'] },
      matches: this.spec.expected === 'lost',
      details: facts,
      timing: { trial: this.trial, phasesMs: this.phasesMs, recoveryMs: null },
      before: before.fingerprint,
      after: {},
      rowsLost,
      rowsUnexpected: 0,
      imageId: '',
      serverVersion: seeded.serverVersion,
      evidence: this.evidence,
    };
  }

  private workspace(volume: string): Workspace {
    return {
      scope: this.scope,
      subject: this.spec.subject,
      toolboxImage: this.env.toolboxImage,
      backupDir: this.backupDir!,
      dataDir: this.dataDir!,
      volume,
      service: undefined,
      evidence: this.evidence,
    };
  }
}

/** The snapshot with the server's objects, where its service lists them: outside the timed verification. */
async function withObjects(session: SubjectSession, snapshot: Snapshot): Promise<Snapshot> {
  return session.objects ? { ...snapshot, objects: await session.objects() } : snapshot;
}

const objectRef = ({ kind, database, name }: InventoryObject) => ({ kind, database, name });

function describeBackup(backup: Backup): string {
  const sha = backup.sha256 ? `, sha256 ${backup.sha256.slice(0, 16)}…` : '';
  const entries = backup.entries !== null ? `, ${backup.entries} entries in its manifest` : '';
  return `${backup.name}, ${backup.bytes} bytes${sha}${entries}`;
}

function baseFacts(method: BackupMethod, commands: string[], integrity: BackupFacts['integrity'], backup?: Backup): BackupFacts {
  return {
    kind: 'backup',
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

/** Removes a volume and proves it is gone: the drill's claim that the original was destroyed rests on it. */
async function removeVolumeForGood(name: string): Promise<void> {
  await removeVolume(name);
  const stillThere = await docker()
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      (error: unknown) => statusCode(error) !== 404,
    );
  if (stillThere) throw new Error(`volume ${name} is still there after its removal`);
}
