// The power-loss drill: writers commit one row per transaction on a server whose data lives on
// a disk of its own (host/power-disk.ts). At a moment that moves from trial to trial the server
// fails one of two ways: SIGKILL (the kernel keeps every write the server handed it), or a power
// cut (an atomic copy of what the disk itself held; the original is then killed and discarded).
// A new container of the same image, with the same settings, starts on what is left, and the
// ledger says what survived. Side by side, the two show which settings only survive a crash.
import type { GenericContainer } from 'testcontainers';
import { runConfig } from '../config.ts';
import { logsOnceReady } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { type DrillSpec, type ImageDrillContext, identify, placeId, type ResultPlace, runDrill } from '../drill/drill.ts';
import { afterCrashOutcome, type TrialRecord } from '../drill/assemble.ts';
import type { DiskCut, PowerDisk } from '../host/power-disk.ts';
import { copyInitialised } from '../probes/initialised-copy.ts';
import { checkAcknowledged, judgedUpTo } from '../probes/ledger.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { progress } from '../progress.ts';
import type { CellResult, PowerLossFacts } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { DatabaseTarget, DurabilitySetting } from '../stack/database-target.ts';
import { createDiskVolume, volumeOn } from '../stack/disk-volume.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { harnessNowMs, PhaseTimer, sleep, stopwatch } from '../timing/clock.ts';
import { failAfterMs, lossWindowMs, powerLossMatches, powerLossObserved, type RecoveryFacts } from './power-verdict.ts';
import { type ReadBack, readBack } from './read-back.ts';

const WRITERS = 4;

export type Failure = PowerLossFacts['failure'];

export interface PowerLossSpec extends DrillSpec {
  target: DatabaseTarget;
  setting: DurabilitySetting;
  failure: Failure;
  /** The control: the disk synced right before the cut, so what was acknowledged before must all be there. */
  syncBeforeCut?: boolean;
}

function powerPlace(spec: Pick<PowerLossSpec, 'target' | 'setting' | 'failure' | 'syncBeforeCut'>): ResultPlace {
  const setting = spec.setting.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    target: spec.target.name,
    storage: 'named-volume',
    disruption: spec.failure === 'power-cut' ? 'power-cut' : 'kill',
    variant: `disk-${setting}${spec.syncBeforeCut ? '-synced' : ''}`,
  };
}

export function powerLossId(spec: Pick<PowerLossSpec, 'target' | 'setting' | 'failure' | 'syncBeforeCut'>): string {
  return placeId(powerPlace(spec));
}

/** Whether the setting promises that this failure loses no acknowledged write. */
export function guaranteed(setting: DurabilitySetting, failure: Failure, syncBeforeCut = false): boolean {
  return syncBeforeCut || (failure === 'power-cut' ? setting.keeps.powerCut : setting.keeps.processCrash);
}

export function runPowerLossDrill(spec: PowerLossSpec, context: ImageDrillContext, stopEarly?: (record: TrialRecord) => boolean): Promise<CellResult> {
  const how = spec.failure === 'power-cut' ? `power cut${spec.syncBeforeCut ? ' right after a sync of the disk' : ''}` : 'SIGKILL';
  const identity = identify(powerPlace(spec), {
    scenario: spec.scenario,
    title: `${spec.target.displayName} (${spec.setting.name}) on its own disk, ${how} under load`,
    expected: spec.expected,
  });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope), stopEarly }, context);
}

async function runTrial(spec: PowerLossSpec, context: ImageDrillContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target, setting, failure } = spec;
  const say = (step: string) => progress(`${powerLossId(spec)}: trial ${trial}: ${step}`);
  const started = await startOnDisk(spec, context, scope);
  const { stack, probe } = started;
  const serverVersion = await probe.serverVersion(stack);
  const failAfter = failAfterMs(trial);
  say(`${WRITERS} writers committing; ${failure} in ${failAfter} ms`);
  const failed = await failUnderLoad(spec, started, failAfter);
  const { ledger, judged, cut } = failed;

  const timer = new PhaseTimer();
  const { recovered, createdMs } = await recover(scope, spec, stack, cut, started.on);
  timer.add('create', createdMs);
  const back = await readBack(probe, recovered, target.name);
  if (back.readyMs !== undefined) timer.add('ready', back.readyMs);
  if (back.verifiedMs !== undefined) timer.add('verified', back.verifiedMs);
  const writes = checkAcknowledged(judged, back.present);
  const facts = { writes, serverStarted: back.started, recoveredCleanly: back.started && back.integrityProblem === undefined };
  const observed = powerLossObserved(facts);
  const lossWindow = lossWindowMs(judged, back.present, failed.judgeFrom);
  const logs = back.started ? await logsOnceReady(recovered.containerId(target.name), target.readyMarker) : back.logTail;
  say(`${observed}: ${writes.lost} of ${writes.acknowledged} acknowledged writes lost${lossWindow === null ? '' : ` (from ${lossWindow} ms before)`}`);
  const evidence = [
    `storage: named volume ${started.volume} on an ext4 disk of its own (loop device, direct I/O) at ${started.disk.mountPoint}`,
    ...(started.initialised ? [started.initialised] : []),
    setting.serverArgs.length > 0 ? `server arguments: ${setting.serverArgs.join(' ')} (${setting.promise})` : `the image's own settings (${setting.promise})`,
    describeFailure(spec, failAfter, cut),
    `${ledger.acknowledged.length} writes acknowledged, ${failed.notJudged} of them after the ${spec.syncBeforeCut ? 'sync began' : 'cut'} (not judged), ${ledger.unknown.length} in flight`,
    back.started
      ? `the server came back: ${back.integrity ?? back.integrityProblem ?? 'no integrity check of its own'}`
      : `the server did not come back: ${back.logTail}`,
    `after the ${failure}: ${writes.acknowledged} acknowledged, ${writes.present} present, ${writes.lost} lost, ${writes.unexpected} unexpected, ${writes.recovered} of the unjudged present`,
  ];
  const phasesMs = timer.phasesMs;
  return {
    outcome: afterCrashOutcome(trial, observed, target.initialisationMarkers, logs, writes.lost),
    // Expected to survive (a promise, or a control run as if there were one): every write, cleanly.
    // Expected to lose (no promise): the loss is the measurement, judged only on what no setting allows.
    matches: powerLossMatches({ ...facts, guaranteed: spec.expected === 'survives' }),
    details: powerLossDetails(spec, { failAfter, notJudged: failed.notJudged, lossWindow, back, cut, ...facts }),
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { ledger: { present: true, rows: writes.acknowledged, contentHash: null } },
    after: { ledger: { present: back.started, rows: writes.present, contentHash: null } },
    rowsLost: writes.lost,
    rowsUnexpected: writes.unexpected,
    imageId: (await recovered.inspect(target.name)).imageId,
    serverVersion,
    evidence,
  };
}

interface OnDisk {
  disk: PowerDisk;
  volume: string;
  initialised: string | undefined;
  stack: HarnessStack;
  probe: SqlProbe;
  /** The service's container on a volume: the same image and settings on the disk or on a cut's copy. */
  on: (volume: string) => () => GenericContainer;
}

/** A disk of its own, the image's initialised data copied onto it, and the server started there. */
async function startOnDisk(spec: PowerLossSpec, context: ImageDrillContext, scope: RunScope): Promise<OnDisk> {
  const { target, setting } = spec;
  const image = context.image.reference;
  const toolbox = runConfig().images.toolbox.reference;
  const { disk, volume } = await createDiskVolume(scope, `${target.name}-power`, toolbox);
  const { dataMount } = await dataLayoutOf(image, target.dataPaths);
  const placed = { kind: 'named-volume' as const, source: volume, mountPath: dataMount };
  const initialised = await copyInitialised(target, { server: image, toolbox }, placed, context.scope, scope);
  const on = (source: string) => () => target.container(image, undefined, setting.serverArgs).withBindMounts([{ source, target: dataMount, mode: 'rw' }]);
  const stack = await HarnessStack.start(scope, powerLossId(spec), { [target.name]: on(volume) });
  return { disk, volume, initialised, stack, probe: new SqlProbe(target), on };
}

/** Writers commit until the failure strikes; the original container is killed either way. */
async function failUnderLoad(spec: PowerLossSpec, { disk, stack, probe }: OnDisk, failAfter: number) {
  // The initialised copy and the ledger's table reach the disk before the first write: a cut must not "lose" the setup.
  const load = await probe.ledger.startWriters(stack, WRITERS, () => disk.syncDisk());
  await sleep(failAfter);
  const { syncStarted, cut } = await fail(spec, disk);
  await stack.kill(spec.target.name, 'SIGKILL');
  // A SIGKILL has struck once docker kill returns; a cut at the copy's start (or the sync's, for the control).
  const judgeFrom = syncStarted ?? cut?.cutAt ?? harnessNowMs();
  const ledger = await load.stop();
  const { judged, notJudged } = judgedUpTo(ledger, cut ? judgeFrom : undefined);
  return { ledger, judged, notJudged, judgeFrom, cut };
}

function powerLossDetails(
  spec: PowerLossSpec,
  found: { failAfter: number; notJudged: number; lossWindow: number | null; back: ReadBack; cut: DiskCut | undefined } & RecoveryFacts & {
      writes: PowerLossFacts['writes'];
    },
): PowerLossFacts {
  const { setting, failure } = spec;
  const { back, cut, writes } = found;
  return {
    kind: 'power-loss',
    failure,
    setting: setting.name,
    serverArgs: setting.serverArgs,
    promise: setting.promise,
    guaranteed: guaranteed(setting, failure, spec.syncBeforeCut),
    syncedBeforeCut: spec.syncBeforeCut ?? false,
    writers: WRITERS,
    failedAfterMs: found.failAfter,
    writes,
    notJudged: found.notJudged,
    lostPerTrial: [writes.lost],
    lossWindowMs: found.lossWindow,
    serverStarted: back.started,
    recoveredCleanly: found.recoveredCleanly,
    integrity: back.integrity ?? back.integrityProblem ?? null,
    serverRecoveryMs: back.readyMs ?? null,
    cut: cut ? { copyMs: cut.copyMs, replayMs: cut.replayMs, fsck: cut.fsck.summary, fsckClean: cut.fsck.clean } : null,
  };
}

/** A new container of the same image and settings: on the cut's copy, or on the same disk after a SIGKILL. */
async function recover(
  scope: RunScope,
  spec: PowerLossSpec,
  stack: HarnessStack,
  cut: DiskCut | undefined,
  on: (volume: string) => () => GenericContainer,
): Promise<{ recovered: HarnessStack; createdMs: number }> {
  const service = spec.target.name;
  if (!cut) return { recovered: stack, createdMs: (await stack.replace(service, 'recreate')).createdMs };
  const volume = await volumeOn(scope, `${service}-cut`, cut.mountPoint);
  const creation = stopwatch();
  const recovered = await HarnessStack.start(scope, `${powerLossId(spec)}-after-cut`, { [service]: on(volume) });
  return { recovered, createdMs: creation.ms() };
}

/** The failure itself; for the control, the disk synced first and the instant the sync began kept. */
async function fail(spec: PowerLossSpec, disk: PowerDisk): Promise<{ syncStarted: number | undefined; cut: DiskCut | undefined }> {
  if (spec.failure === 'sigkill') return { syncStarted: undefined, cut: undefined };
  const syncStarted = spec.syncBeforeCut ? harnessNowMs() : undefined;
  if (spec.syncBeforeCut) await disk.syncDisk();
  return { syncStarted, cut: await disk.cut() };
}

function describeFailure(spec: PowerLossSpec, failAfter: number, cut: DiskCut | undefined): string {
  if (!cut) return `SIGKILL (docker kill) after ${failAfter} ms of writes; a new container on the same disk`;
  const sync = spec.syncBeforeCut ? 'the disk synced (syncfs), then ' : '';
  return `${sync}power cut after ${failAfter} ms of writes: the disk's backing file copied by reflink in ${cut.copyMs} ms, the copy mounted (ext4 journal replayed) in ${cut.replayMs} ms, ${cut.fsck.summary}; the original killed and discarded, a new container on the copy`;
}
