// The stop-mode matrix: the ways a database container gets stopped in practice (docker stop
// with its grace period, docker kill, docker restart), each under write load and followed by
// a start of the same container. For each: did the server shut down cleanly or run crash
// recovery on the next start (from its own log), how long until it answered, and is every
// acknowledged write still there.
import type { ImageChoice } from '../config.ts';
import { GRACEFUL_STOP_TIMEOUT_MS, inspectContainer, logsOnceReady, mappedPort, readLogs, startExisting, stopGracefully } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { CellResult, Outcome, Phase, StopMode, StopModeFacts } from '../report/model.ts';
import { recoveryOf, round } from '../report/stats.ts';
import { assembleResult, runTrials, type TrialRecord } from '../matrix/assemble.ts';
import { prepareStorage, type StorageKind } from '../storage/placement.ts';
import type { DatabaseConnection, DatabaseTarget } from '../targets/target.ts';
import { waitUntilReady } from '../targets/wait-ready.ts';
import { readShutdownEvidence } from './shutdown-evidence.ts';
import { countLedgerWhenReady, startWriteLoad } from './write-load.ts';

const WRITERS = 2;
const WRITE_BEFORE_STOP_MS = 1_000;

interface ModeSpec {
  /** What a user would type. */
  command: string;
  /** docker stop's grace period; null where the mode has none (kill) or uses the container's own (restart). */
  stopTimeoutSeconds: number | null;
  expectedShutdown: StopModeFacts['expectedShutdown'];
  /** Stops the container and starts it again; returns the phases it measured. */
  disrupt(id: string): Promise<Partial<Record<Phase, number>>>;
}

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await operation();
  return round(performance.now() - started);
}

/** docker stop -t N, then docker start: the stop phase and the create phase. */
function stopThenStart(timeoutMs: number) {
  return async (id: string) => ({ stop: await timed(() => stopGracefully(id, timeoutMs)), create: await timed(() => startExisting(id)) });
}

export const MODE_SPECS: Record<StopMode, ModeSpec> = {
  graceful: {
    command: `docker stop -t ${GRACEFUL_STOP_TIMEOUT_MS / 1000} CONTAINER && docker start CONTAINER`,
    stopTimeoutSeconds: GRACEFUL_STOP_TIMEOUT_MS / 1000,
    expectedShutdown: 'clean',
    disrupt: stopThenStart(GRACEFUL_STOP_TIMEOUT_MS),
  },
  kill: {
    command: 'docker kill CONTAINER && docker start CONTAINER',
    stopTimeoutSeconds: null,
    expectedShutdown: 'crash-recovery',
    disrupt: async (id) => ({
      stop: await timed(() => docker().getContainer(id).kill({ signal: 'SIGKILL' })),
      create: await timed(() => startExisting(id)),
    }),
  },
  // One call: Docker stops (stop signal, then SIGKILL after the container's stop timeout, 10 s
  // by default) and starts again, so its whole duration is the create phase.
  restart: {
    command: 'docker restart CONTAINER',
    stopTimeoutSeconds: null,
    expectedShutdown: 'clean',
    disrupt: async (id) => ({ create: await timed(() => docker().getContainer(id).restart()) }),
  },
  // The negative control: a stop without a grace period is a kill in all but name. A user
  // expects a stop to be clean; the harness must report that this one was not.
  'graceful-no-grace': {
    command: 'docker stop -t 0 CONTAINER && docker start CONTAINER',
    stopTimeoutSeconds: 0,
    expectedShutdown: 'clean',
    disrupt: stopThenStart(0),
  },
};

export interface StopModeSpec {
  scenario: string;
  target: DatabaseTarget;
  storage: StorageKind;
  mode: StopMode;
}

export interface StopModeContext {
  scope: RunScope;
  image: ImageChoice;
  trials: number;
}

export function stopModeId(spec: Pick<StopModeSpec, 'target' | 'storage' | 'mode'>): string {
  return `${spec.target.name}/${spec.storage}/stop-start/${spec.mode}`;
}

export async function runStopModeDrill(spec: StopModeSpec, context: StopModeContext): Promise<CellResult> {
  const id = stopModeId(spec);
  const { records, error } = await runTrials(id, context.trials, context.scope, (trial, scope) => runTrial(spec, context, trial, scope));
  const mode = MODE_SPECS[spec.mode];
  const identity = {
    id,
    scenario: spec.scenario,
    title: `${spec.target.displayName} on ${spec.storage}: ${mode.command.replaceAll('CONTAINER', '…')}`,
    target: spec.target.name,
    storage: spec.storage,
    disruption: 'stop-start' as const,
    variant: spec.mode,
    expected: 'survives' as const,
  };
  return assembleResult(identity, context.image.reference, records, error);
}

async function runTrial(spec: StopModeSpec, context: StopModeContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target } = spec;
  const mode = MODE_SPECS[spec.mode];
  const say = (step: string) => progress(`${stopModeId(spec)}: trial ${trial}: ${step}`);
  const placement = await prepareStorage(spec.storage, target.location, scope);
  const container = await placement.applyTo(target.container(context.image.reference, placement.dataDir)).withLabels(scope.labels(stopModeId(spec))).start();
  const id = container.getId();
  scope.trackContainer(id);
  const host = container.getHost();
  const connect = async (): Promise<DatabaseConnection> => waitUntilReady(target, id, host, await mappedPort(id, target.port));

  const setup = await connect();
  const serverVersion = await setup.serverVersion();
  const load = await startWriteLoad(setup, connect, WRITERS);
  await setup.close();
  await new Promise((resolve) => setTimeout(resolve, WRITE_BEFORE_STOP_MS));
  // Only what is printed from the stop on tells about this stop and the next start.
  const logOffset = (await readLogs(id)).length;
  say(`${WRITERS} writers committing; ${mode.command}`);
  const phasesMs = await mode.disrupt(id);
  const ledger = await load.stop();

  const { writes, readyMs, verifiedMs } = await countLedgerWhenReady(connect, ledger);
  phasesMs.ready = readyMs;
  phasesMs.verified = verifiedMs;
  const logsSinceStop = await logsOnceReady(id, target.readyMarker, logOffset);
  const shutdown = readShutdownEvidence(target, logsSinceStop);
  const stopFacts: StopModeFacts = {
    mode: spec.mode,
    command: mode.command,
    stopTimeoutSeconds: mode.stopTimeoutSeconds,
    expectedShutdown: mode.expectedShutdown,
    shutdown: shutdown.verdict,
    logLine: shutdown.line,
    serverRecoveryMs: shutdown.serverRecoveryMs,
    writes,
  };
  const evidence = [
    `storage: ${placement.description}`,
    `${mode.command}: ${describeShutdown(shutdown.verdict)} (expected ${describeShutdown(mode.expectedShutdown)})${shutdown.line ? `; the server's log: "${shutdown.line}"` : ''}`,
    `back up: running after ${phasesMs.create} ms, answering after a further ${phasesMs.ready} ms${shutdown.serverRecoveryMs === null ? '' : `; the server reports its redo took ${(shutdown.serverRecoveryMs / 1000).toFixed(2)} s`}`,
    `writes: ${writes.acknowledged} acknowledged before the stop, ${writes.present} present, ${writes.lost} lost, ${writes.unexpected} unexpected, ${writes.recovered} of ${ledger.unknown.length} in-flight writes present`,
  ];
  const observed: Outcome = writes.lost === 0 && writes.unexpected === 0 ? 'survives' : 'lost';
  const differences = [
    ...(writes.lost > 0 ? [`${writes.lost} acknowledged writes lost`] : []),
    ...(shutdown.verdict === mode.expectedShutdown ? [] : [`${describeShutdown(shutdown.verdict)} where ${describeShutdown(mode.expectedShutdown)} was expected`]),
  ];
  say(`${describeShutdown(shutdown.verdict)}; ${writes.lost} of ${writes.acknowledged} acknowledged writes lost`);
  return {
    outcome: { trial, observed, reinitialised: target.initialisationMarkers.some((marker) => marker.test(logsSinceStop)), cleanShutdown: shutdown.verdict === 'clean', differences },
    matches: observed === 'survives' && shutdown.verdict === mode.expectedShutdown,
    stopMode: stopFacts,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { ledger: { present: true, rows: writes.acknowledged, contentHash: null } },
    after: { ledger: { present: true, rows: writes.present, contentHash: null } },
    rowsLost: writes.lost,
    rowsUnexpected: writes.unexpected,
    imageId: (await inspectContainer(id)).imageId,
    serverVersion,
    evidence,
  };
}

export function describeShutdown(verdict: StopModeFacts['shutdown']): string {
  return verdict === 'clean' ? 'clean shutdown' : verdict === 'crash-recovery' ? 'crash recovery on the next start' : 'neither a clean shutdown nor crash recovery in the log';
}
