// One cell of a persistence matrix: put a target's data on one storage type, write a known
// dataset, disrupt the container, and observe whether the same data comes back.
import type { StartedTestContainer } from 'testcontainers';
import type { ImageChoice } from '../config.ts';
import { compareFingerprints, summariseFingerprint, type Fingerprint } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { type MountFact, inspectContainer, logsOnceReady, mappedPort, readLogs, removeContainer, startExisting, stopGracefully } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, Disruption, Outcome, Phase } from '../report/model.ts';
import { recoveryOf, round } from '../report/stats.ts';
import { assembleResult, runTrials, type TrialRecord } from './assemble.ts';
import { dataLayoutOf, isWithin, whereDataLives } from '../storage/data-layout.ts';
import { describeMounts, prepareStorage, type PlacementOptions, type StorageKind } from '../storage/placement.ts';
import { shutdownLoggedClean } from '../targets/shutdown-evidence.ts';
import type { DatabaseTarget } from '../targets/target.ts';
import { ContainerExitedError, waitUntilReady } from '../targets/wait-ready.ts';
import { stopwatch } from '../timing/clock.ts';

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

export interface CellContext {
  scope: RunScope;
  image: ImageChoice;
  trials: number;
  dataset: Dataset;
}

export function cellId(spec: Pick<CellSpec, 'target' | 'storage' | 'disruption' | 'variant'>): string {
  return `${spec.target.name}/${spec.storage}/${spec.disruption}${spec.variant ? `/${spec.variant}` : ''}`;
}

export async function runCell(spec: CellSpec, context: CellContext): Promise<CellResult> {
  const { records, error } = await runTrials(cellId(spec), context.trials, context.scope, (trial, scope) => runTrial(spec, context, trial, scope));
  const identity = {
    id: cellId(spec),
    scenario: spec.scenario,
    title: `${spec.target.displayName}${spec.variant ? ` (${spec.variant})` : ''} on ${spec.storage}, ${spec.disruption}`,
    target: spec.target.name,
    storage: spec.storage,
    disruption: spec.disruption,
    ...(spec.variant ? { variant: spec.variant } : {}),
    expected: spec.expected,
  };
  return assembleResult(identity, context.image.reference, records, error);
}

async function runTrial(spec: CellSpec, context: CellContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target } = spec;
  const { dataset } = context;
  const tableNames = dataset.tables.map((t) => t.name);
  const evidence: string[] = [];
  const phasesMs: Partial<Record<Phase, number>> = {};

  const placement = await prepareStorage(spec.storage, await dataLayoutOf(context.image.reference, target.dataPaths), scope, spec.placement);
  evidence.push(`storage: ${placement.description}`);
  const startContainer = async (): Promise<StartedTestContainer> => {
    const started = await placement
      .applyTo(target.container(context.image.reference, placement.serverDataDir))
      .withLabels(scope.labels(cellId(spec)))
      .start();
    scope.trackContainer(started.getId());
    return started;
  };

  // Set up: start on the storage, check the mount is what the cell claims, write, fingerprint.
  const first = await startContainer();
  let containerId = first.getId();
  const host = first.getHost();
  const firstState = await inspectContainer(containerId);
  const mountProblem = placement.problemWith(firstState);
  if (mountProblem)
    throw new HarnessError(
      `The container's storage is not what the cell claims: ${mountProblem}.`,
      'This is a harness bug; please report it with the evidence.',
    );
  evidence.push(describeMounts(firstState.mounts));

  const say = (step: string) => progress(`${cellId(spec)}: trial ${trial}: ${step}`);
  let connection = await waitUntilReady(target, containerId, host, await mappedPort(containerId, target.port));
  say(`started on ${placement.description}; writing ${dataset.tables.reduce((n, t) => n + t.rows.length, 0)} rows`);
  const serverVersion = await connection.serverVersion();
  evidence.push(describeDataDirectory(await connection.dataDirectory(), placement.dataPath, firstState.mounts));
  await connection.write(dataset);
  const before = await connection.fingerprint(tableNames);
  await connection.close();
  assertDatasetWritten(dataset, before);
  evidence.push(`before: ${summariseFingerprint(before)}`);

  // Disrupt: a graceful stop, then the same container again or a new one on the same mount.
  say(`fingerprinted; ${spec.disruption === 'restart' ? 'stopping and starting the same container' : 'stopping, removing and creating a new container'}`);
  let clock = stopwatch();
  const stopped = await stopGracefully(containerId);
  let stopMs = clock.ms();
  // Logs are read before removal: they tell whether the server shut down cleanly, and for a
  // restart everything after them is what the second start printed.
  const logsUntilStop = await readLogs(containerId);
  const cleanShutdown = stopped.exitCode === 0 && shutdownLoggedClean(target, logsUntilStop);
  evidence.push(`stop: exit code ${stopped.exitCode}${cleanShutdown ? ', clean shutdown' : ', NOT a clean shutdown'}`);
  if (spec.disruption === 'recreate') {
    clock = stopwatch();
    await removeContainer(containerId);
    stopMs += clock.ms();
  }
  phasesMs.stop = round(stopMs);

  clock = stopwatch();
  if (spec.disruption === 'restart') {
    await startExisting(containerId);
  } else {
    containerId = (await startContainer()).getId();
  }
  phasesMs.create = clock.ms();
  const afterState = await inspectContainer(containerId);

  let after: Fingerprint;
  let cameBack = true;
  clock = stopwatch();
  try {
    connection = await waitUntilReady(target, containerId, host, await mappedPort(containerId, target.port));
    phasesMs.ready = clock.ms();
    clock = stopwatch();
    after = await connection.fingerprint(tableNames);
    await connection.close();
  } catch (caught) {
    // The service not coming back after the disruption is a finding about the data, not a harness error.
    if (!(caught instanceof ContainerExitedError)) throw caught;
    cameBack = false;
    after = Object.fromEntries(tableNames.map((name) => [name, { present: false, rows: 0, contentHash: null }]));
    evidence.push(`after: the service did not come back: ${caught.message}`);
  }
  const comparison = compareFingerprints(before, after);
  if (cameBack) phasesMs.verified = clock.ms();

  const offset = spec.disruption === 'restart' ? logsUntilStop.length : 0;
  const logsAfter = cameBack ? await logsOnceReady(containerId, target.readyMarker, offset) : (await readLogs(containerId)).slice(offset);
  const reinitialised = target.initialisationMarkers.some((marker) => marker.test(logsAfter));
  if (cameBack) evidence.push(`after: ${summariseFingerprint(after)}`);
  evidence.push(...comparison.differences);
  if (reinitialised) {
    evidence.push(
      `re-initialised: the ${spec.disruption === 'restart' ? 'restarted' : 'new'} container ran first-start initialisation, so it found no data there`,
    );
  }
  const observed: Outcome = comparison.identical ? 'survives' : 'lost';
  progress(`${cellId(spec)}: trial ${trial}: ${observed} (expected ${spec.expected})`);

  return {
    outcome: { trial, observed, reinitialised, cleanShutdown, differences: comparison.differences },
    matches: observed === spec.expected,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before,
    after,
    rowsLost: comparison.rowsLost,
    rowsUnexpected: comparison.rowsUnexpected,
    imageId: afterState.imageId,
    serverVersion,
    evidence,
  };
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
