// One cell of a persistence matrix: put a target's data on one storage type, write a known
// dataset, disrupt the container, and observe whether the same data comes back.
import { compareFingerprints, summariseFingerprint, type Fingerprint, type FingerprintComparison } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { type MountFact, logsOnceReady } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { CellResult, Disruption, Outcome } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { whereDataLives } from '../storage/data-layout.ts';
import { isWithin } from '../storage/paths.ts';
import { describeMounts, requirePlaced, type PlacementOptions, type StorageKind, type StoragePlacement } from '../storage/placement.ts';
import { shutdownLoggedClean } from '../targets/shutdown-evidence.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { prepareTrialStorage } from '../drill/trial-storage.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { ABSENT, type Probe } from '../probes/probe.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import type { Stack } from '../stack/stack.ts';
import { PhaseTimer } from '../timing/clock.ts';
import { identify, placeId, runDrill, type DrillSpec, type ImageDrillContext, type ResultPlace } from '../drill/drill.ts';

export interface CellSpec extends DrillSpec {
  target: DatabaseTarget;
  storage: StorageKind;
  disruption: Disruption;
  /** Only negative controls set this: they misplace the mount on purpose. */
  placement?: PlacementOptions;
  /** Names cells run on another image than the target's usual one (another data layout). */
  variant?: string;
}

export interface CellContext extends ImageDrillContext {
  dataset: Dataset;
}

function cellPlace(spec: Pick<CellSpec, 'target' | 'storage' | 'disruption' | 'variant'>): ResultPlace {
  return { target: spec.target.name, storage: spec.storage, disruption: spec.disruption, variant: spec.variant };
}

export function cellId(spec: Pick<CellSpec, 'target' | 'storage' | 'disruption' | 'variant'>): string {
  return placeId(cellPlace(spec));
}

export async function runCell(spec: CellSpec, context: CellContext): Promise<CellResult> {
  const title = `${spec.target.displayName}${spec.variant ? ` (${spec.variant})` : ''} on ${spec.storage}, ${spec.disruption}`;
  const identity = identify(cellPlace(spec), { scenario: spec.scenario, title, expected: spec.expected });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope) }, context);
}

/** One trial: the stack of one service on the cell's storage, and the probe that reads its data. */
interface Trial {
  spec: CellSpec;
  stack: Stack;
  probe: Probe;
  service: string;
  timer: PhaseTimer;
  evidence: string[];
}

async function runTrial(spec: CellSpec, context: CellContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const say = (step: string) => progress(`${cellId(spec)}: trial ${trial}: ${step}`);
  const { target } = spec;
  const { placement, initialised } = await prepareTrialStorage(target, spec.storage, context, scope, spec.placement);
  const service = target.name;
  const stack = await HarnessStack.start(scope, cellId(spec), {
    [service]: () => placement.applyTo(target.container(context.image.reference, placement.serverDataDir)),
  });
  const t: Trial = {
    spec,
    stack,
    probe: new SqlProbe(target, context.dataset, service),
    service,
    timer: new PhaseTimer(),
    evidence: [`storage: ${placement.description}`, ...(initialised ? [initialised] : [])],
  };
  const { before, serverVersion } = await seed(t, placement, say);
  say(`fingerprinted; ${spec.disruption === 'restart' ? 'stopping and starting the same container' : 'stopping, removing and creating a new container'}`);
  const disrupted = await disrupt(t);
  const { after, cameBack } = await readBack(t, before);
  const logsAfter = await logsAfterDisruption(t, disrupted, cameBack);
  const verdict = judgeCell(before, after, spec.expected);
  const reinitialised = target.initialisationMarkers.some((marker) => marker.test(logsAfter));
  if (cameBack) t.evidence.push(`after: ${summariseFingerprint(after)}`);
  t.evidence.push(...verdict.comparison.differences);
  if (reinitialised) {
    t.evidence.push(
      `re-initialised: the ${spec.disruption === 'restart' ? 'restarted' : 'new'} container ran first-start initialisation, so it found no data there`,
    );
  }
  say(`${verdict.observed} (expected ${spec.expected})`);
  return {
    outcome: { trial, observed: verdict.observed, reinitialised, cleanShutdown: disrupted.cleanShutdown, differences: verdict.comparison.differences },
    matches: verdict.matches,
    timing: { trial, phasesMs: t.timer.phasesMs, recoveryMs: recoveryOf(t.timer.phasesMs) },
    before,
    after,
    rowsLost: verdict.comparison.rowsLost,
    rowsUnexpected: verdict.comparison.rowsUnexpected,
    imageId: (await stack.inspect(service)).imageId,
    serverVersion,
    evidence: t.evidence,
  };
}

/** The cell's verdict: the same data after the disruption, or not, against what was expected. */
export function judgeCell(
  before: Fingerprint,
  after: Fingerprint,
  expected: Outcome,
): { observed: Outcome; matches: boolean; comparison: FingerprintComparison } {
  const comparison = compareFingerprints(before, after);
  const observed: Outcome = comparison.identical ? 'survives' : 'lost';
  return { observed, matches: observed === expected, comparison };
}

/** Checks the mount is what the cell claims, then writes the dataset and fingerprints it. */
async function seed(t: Trial, placement: StoragePlacement, say: (step: string) => void): Promise<{ before: Fingerprint; serverVersion: string }> {
  const { stack, probe, service } = t;
  const state = await stack.inspect(service);
  requirePlaced(placement, state, 'The container');
  t.evidence.push(describeMounts(state.mounts));
  await probe.ready(stack);
  say(`started on ${placement.description}; writing ${probe.describes}`);
  const serverVersion = (await probe.serverVersion?.(stack)) ?? 'unknown';
  const dataDirectory = await probe.dataDirectory?.(stack);
  if (dataDirectory !== undefined) t.evidence.push(describeDataDirectory(dataDirectory, placement.dataPath, state.mounts));
  const before = await probe.seed(stack);
  await probe.release?.();
  t.evidence.push(`before: ${summariseFingerprint(before)}`);
  return { before, serverVersion };
}

/** What the disruption left: the logs that came before it, and whether the stop was clean. */
interface Disrupted {
  logsUntilStop: string;
  cleanShutdown: boolean;
}

/** A graceful stop, then the same container again (restart) or a new one on the same mount (recreate). */
async function disrupt(t: Trial): Promise<Disrupted> {
  const { stack, service, timer } = t;
  const stopped = await timer.time('stop', () => stack.stop(service));
  // Logs are read before removal: they tell whether the server shut down cleanly, and for a
  // restart everything after them is what the second start printed.
  const logsUntilStop = await stack.logs(service);
  const cleanShutdown = stopped.exitCode === 0 && shutdownLoggedClean(t.spec.target, logsUntilStop);
  t.evidence.push(`stop: exit code ${stopped.exitCode}${cleanShutdown ? ', clean shutdown' : ', NOT a clean shutdown'}`);
  if (t.spec.disruption === 'restart') {
    await timer.time('create', () => stack.start(service));
  } else {
    const { removedMs, createdMs } = await stack.replace(service, 'recreate');
    timer.add('stop', removedMs);
    timer.add('create', createdMs);
  }
  return { logsUntilStop, cleanShutdown };
}

/** Waits for the service and fingerprints it; a service that does not come back is a finding, not an error. */
async function readBack(t: Trial, before: Fingerprint): Promise<{ after: Fingerprint; cameBack: boolean }> {
  const { stack, probe, timer } = t;
  try {
    await timer.time('ready', () => probe.ready(stack));
    const after = await timer.time('verified', () => probe.fingerprint(stack));
    await probe.release?.();
    return { after, cameBack: true };
  } catch (caught) {
    if (!(caught instanceof ContainerExitedError)) throw caught;
    t.evidence.push(`after: the service did not come back: ${caught.message}`);
    const after: Fingerprint = Object.fromEntries(Object.keys(before).map((name) => [name, ABSENT]));
    return { after, cameBack: false };
  }
}

/** What the service printed from the disruption on: the restarted container's new lines, or the new container's. */
async function logsAfterDisruption(t: Trial, disrupted: Disrupted, cameBack: boolean): Promise<string> {
  const offset = t.spec.disruption === 'restart' ? disrupted.logsUntilStop.length : 0;
  if (!cameBack) return (await t.stack.logs(t.service)).slice(offset);
  return logsOnceReady(t.stack.containerId(t.service), t.spec.target.readyMarker, offset);
}

/** Where the server says it keeps its data, and whether that is on the storage under test. */
function describeDataDirectory(serverDataDir: string, expected: string, mounts: MountFact[]): string {
  const where = whereDataLives(serverDataDir, mounts);
  const onStorage = isWithin(serverDataDir, expected) ? '' : `: NOT under ${expected}, the storage under test`;
  return `the server keeps its data in ${serverDataDir}, ${where}${onStorage}`;
}
