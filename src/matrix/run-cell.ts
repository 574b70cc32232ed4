// One cell of a persistence matrix: put a target's data on one storage type, write a known
// dataset, disrupt the container, and observe whether the same data comes back.
import type { StartedTestContainer } from 'testcontainers';
import { compareFingerprints, summariseFingerprint, type Fingerprint, type FingerprintComparison } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { type MountFact, inspectContainer, logsOnceReady, mappedPort, readLogs, removeContainer, startExisting, stopGracefully } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, Disruption, Outcome } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { dataLayoutOf, isWithin, whereDataLives } from '../storage/data-layout.ts';
import { describeMounts, prepareStorage, type PlacementOptions, type StorageKind } from '../storage/placement.ts';
import { shutdownLoggedClean } from '../targets/shutdown-evidence.ts';
import type { DatabaseTarget } from '../targets/target.ts';
import { ContainerExitedError, waitUntilReady } from '../targets/wait-ready.ts';
import { PhaseTimer } from '../timing/clock.ts';
import { identify, runDrill, type ImageDrillContext } from '../drill/drill.ts';

export interface CellSpec {
  scenario: string;
  target: DatabaseTarget;
  storage: StorageKind;
  disruption: Disruption;
  expected: Outcome;
  /** Only negative controls set this: they misplace the mount on purpose. */
  placement?: PlacementOptions;
  /** Names cells run on another image than the target's usual one (another data layout). */
  variant?: string;
}

export interface CellContext extends ImageDrillContext {
  dataset: Dataset;
}

export function cellId(spec: Pick<CellSpec, 'target' | 'storage' | 'disruption' | 'variant'>): string {
  return `${spec.target.name}/${spec.storage}/${spec.disruption}${spec.variant ? `/${spec.variant}` : ''}`;
}

export async function runCell(spec: CellSpec, context: CellContext): Promise<CellResult> {
  const title = `${spec.target.displayName}${spec.variant ? ` (${spec.variant})` : ''} on ${spec.storage}, ${spec.disruption}`;
  const place = { target: spec.target.name, storage: spec.storage, disruption: spec.disruption, variant: spec.variant };
  const identity = identify(place, { scenario: spec.scenario, title, expected: spec.expected });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope) }, context);
}

/** What a trial knows once its data is written: the running container and the fingerprint. */
interface Seeded {
  containerId: string;
  host: string;
  before: Fingerprint;
  serverVersion: string;
  start: () => Promise<StartedTestContainer>;
}

/** What the disruption left: the container to read back, and the logs that came before it. */
interface Disrupted {
  containerId: string;
  logsUntilStop: string;
  cleanShutdown: boolean;
}

async function runTrial(spec: CellSpec, context: CellContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const evidence: string[] = [];
  const timer = new PhaseTimer();
  const say = (step: string) => progress(`${cellId(spec)}: trial ${trial}: ${step}`);
  const seeded = await seed(spec, context, scope, evidence, say);
  say(`fingerprinted; ${spec.disruption === 'restart' ? 'stopping and starting the same container' : 'stopping, removing and creating a new container'}`);
  const disrupted = await disrupt(spec, seeded, timer, evidence);
  const { after, cameBack, logsAfter } = await readBack(spec, context.dataset, seeded.host, disrupted, timer, evidence);
  const verdict = judgeCell(seeded.before, after, spec.expected);
  const reinitialised = spec.target.initialisationMarkers.some((marker) => marker.test(logsAfter));
  if (cameBack) evidence.push(`after: ${summariseFingerprint(after)}`);
  evidence.push(...verdict.comparison.differences);
  if (reinitialised) {
    evidence.push(
      `re-initialised: the ${spec.disruption === 'restart' ? 'restarted' : 'new'} container ran first-start initialisation, so it found no data there`,
    );
  }
  say(`${verdict.observed} (expected ${spec.expected})`);
  return {
    outcome: { trial, observed: verdict.observed, reinitialised, cleanShutdown: disrupted.cleanShutdown, differences: verdict.comparison.differences },
    matches: verdict.matches,
    timing: { trial, phasesMs: timer.phasesMs, recoveryMs: recoveryOf(timer.phasesMs) },
    before: seeded.before,
    after,
    rowsLost: verdict.comparison.rowsLost,
    rowsUnexpected: verdict.comparison.rowsUnexpected,
    imageId: (await inspectContainer(disrupted.containerId)).imageId,
    serverVersion: seeded.serverVersion,
    evidence,
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

/** Starts on the storage, checks the mount is what the cell claims, writes and fingerprints. */
async function seed(spec: CellSpec, context: CellContext, scope: RunScope, evidence: string[], say: (step: string) => void): Promise<Seeded> {
  const { target, storage } = spec;
  const { dataset } = context;
  const placement = await prepareStorage(storage, await dataLayoutOf(context.image.reference, target.dataPaths), scope, spec.placement);
  evidence.push(`storage: ${placement.description}`);
  const start = async (): Promise<StartedTestContainer> => {
    const definition = placement.applyTo(target.container(context.image.reference, placement.serverDataDir));
    const started = await definition.withLabels(scope.labels(cellId(spec))).start();
    scope.trackContainer(started.getId());
    return started;
  };
  const first = await start();
  const state = await inspectContainer(first.getId());
  const mountProblem = placement.problemWith(state);
  if (mountProblem) {
    throw new HarnessError(
      `The container's storage is not what the cell claims: ${mountProblem}.`,
      'This is a harness bug; please report it with the evidence.',
    );
  }
  evidence.push(describeMounts(state.mounts));
  const connection = await waitUntilReady(target, first.getId(), first.getHost(), await mappedPort(first.getId(), target.port));
  say(`started on ${placement.description}; writing ${dataset.tables.reduce((n, t) => n + t.rows.length, 0)} rows`);
  const serverVersion = await connection.serverVersion();
  evidence.push(describeDataDirectory(await connection.dataDirectory(), placement.dataPath, state.mounts));
  await connection.write(dataset);
  const before = await connection.fingerprint(dataset.tables.map((t) => t.name));
  await connection.close();
  assertDatasetWritten(dataset, before);
  evidence.push(`before: ${summariseFingerprint(before)}`);
  return { containerId: first.getId(), host: first.getHost(), before, serverVersion, start };
}

/** A graceful stop, then the same container again (restart) or a new one on the same mount (recreate). */
async function disrupt(spec: CellSpec, seeded: Seeded, timer: PhaseTimer, evidence: string[]): Promise<Disrupted> {
  const stopped = await timer.time('stop', () => stopGracefully(seeded.containerId));
  // Logs are read before removal: they tell whether the server shut down cleanly, and for a
  // restart everything after them is what the second start printed.
  const logsUntilStop = await readLogs(seeded.containerId);
  const cleanShutdown = stopped.exitCode === 0 && shutdownLoggedClean(spec.target, logsUntilStop);
  evidence.push(`stop: exit code ${stopped.exitCode}${cleanShutdown ? ', clean shutdown' : ', NOT a clean shutdown'}`);
  if (spec.disruption === 'restart') {
    await timer.time('create', () => startExisting(seeded.containerId));
    return { containerId: seeded.containerId, logsUntilStop, cleanShutdown };
  }
  await timer.time('stop', () => removeContainer(seeded.containerId));
  const recreated = await timer.time('create', seeded.start);
  return { containerId: recreated.getId(), logsUntilStop, cleanShutdown };
}

/** Waits for the service and fingerprints it; a service that does not come back is a finding, not an error. */
async function readBack(spec: CellSpec, dataset: Dataset, host: string, disrupted: Disrupted, timer: PhaseTimer, evidence: string[]) {
  const { target } = spec;
  const { containerId } = disrupted;
  const tableNames = dataset.tables.map((t) => t.name);
  const offset = spec.disruption === 'restart' ? disrupted.logsUntilStop.length : 0;
  try {
    const connection = await timer.time('ready', async () => waitUntilReady(target, containerId, host, await mappedPort(containerId, target.port)));
    const after = await timer.time('verified', () => connection.fingerprint(tableNames));
    await connection.close();
    return { after, cameBack: true, logsAfter: await logsOnceReady(containerId, target.readyMarker, offset) };
  } catch (caught) {
    if (!(caught instanceof ContainerExitedError)) throw caught;
    evidence.push(`after: the service did not come back: ${caught.message}`);
    const after: Fingerprint = Object.fromEntries(tableNames.map((name) => [name, { present: false, rows: 0, contentHash: null }]));
    return { after, cameBack: false, logsAfter: (await readLogs(containerId)).slice(offset) };
  }
}

/** Where the server says it keeps its data, and whether that is on the storage under test. */
function describeDataDirectory(serverDataDir: string, expected: string, mounts: MountFact[]): string {
  const where = whereDataLives(serverDataDir, mounts);
  const onStorage = isWithin(serverDataDir, expected) ? '' : `: NOT under ${expected}, the storage under test`;
  return `the server keeps its data in ${serverDataDir}, ${where}${onStorage}`;
}

/** The fingerprint taken before the disruption must show the whole dataset, or nothing is proven. */
function assertDatasetWritten(dataset: Dataset, before: Fingerprint): void {
  for (const table of dataset.tables) {
    const seen = before[table.name];
    if (!seen?.present || seen.rows !== table.rows.length) {
      throw new HarnessError(
        `The dataset was not written completely: table ${table.name} has ${seen?.rows ?? 0} of ${table.rows.length} rows.`,
        'Check the database logs; the cell cannot judge persistence without its data.',
      );
    }
  }
}
