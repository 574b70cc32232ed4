// The stop-mode matrix: the ways a database container gets stopped in practice (docker stop
// with its grace period, docker kill, docker restart), each under write load and followed by
// a start of the same container. For each: did the server shut down cleanly or run crash
// recovery on the next start (from its own log), how long until it answered, and is every
// acknowledged write still there.
import { constants } from 'node:os';
import type { GenericContainer } from 'testcontainers';
import { exitCodesSince, GRACEFUL_STOP_TIMEOUT_MS, logsOnceReady } from '../docker/containers.ts';
import { inspectImage } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import type { AcknowledgedWrites, CellResult, Outcome, Phase, ShutdownVerdict, StopMode, StopModeFacts } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import type { Stack } from '../stack/stack.ts';
import type { StorageKind } from '../storage/placement.ts';
import { prepareTrialStorage } from '../drill/trial-storage.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { readShutdownEvidence } from '../targets/shutdown-evidence.ts';
import { epochMs, sleep, stopwatch } from '../timing/clock.ts';
import { identify, placeId, runDrill, type ImageDrillContext, type ResultPlace } from '../drill/drill.ts';

const WRITERS = 2;
const WRITE_BEFORE_STOP_MS = 1_000;

interface ModeSpec {
  /** What a user would type. */
  command: string;
  /** docker stop's grace period; null where the mode has none (kill) or uses the container's own (restart). */
  stopTimeoutSeconds: number | null;
  expectedShutdown: StopModeFacts['expectedShutdown'];
  /** Runs the server under a shell as PID 1 that does not pass the stop signal on (the control). */
  serverUnderShell?: true;
  /** Stops the service and starts it again; returns the phases it measured and how the stopped container exited. */
  disrupt(stack: Stack, service: string): Promise<Disrupted>;
}

interface Disrupted {
  phasesMs: Partial<Record<Phase, number>>;
  /** null where the engine recorded none. */
  exitCode: number | null;
}

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = stopwatch();
  await operation();
  return started.ms();
}

/** docker stop -t N, then docker start: the stop phase and the create phase. */
function stopThenStart(timeoutMs: number) {
  return async (stack: Stack, service: string): Promise<Disrupted> => {
    const stop = await timed(() => stack.stop(service, timeoutMs));
    const { exitCode } = await stack.inspect(service);
    return { phasesMs: { stop, create: await timed(() => stack.start(service)) }, exitCode };
  };
}

/** The control's grace period: ample for these servers' clean shutdown (well under a second here), short enough to wait out. */
const CONTROL_STOP_TIMEOUT_MS = 5_000;

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
    // The engine answers a SIGKILL once the container has exited, so its exit code is there.
    disrupt: async (stack, service) => {
      const stop = await timed(() => stack.kill(service, 'SIGKILL'));
      const { exitCode } = await stack.inspect(service);
      return { phasesMs: { stop, create: await timed(() => stack.start(service)) }, exitCode };
    },
  },
  // One call: Docker stops (stop signal, then SIGKILL after the container's stop timeout, 10 s
  // by default) and starts again, so its whole duration is the create phase.
  restart: {
    command: 'docker restart CONTAINER',
    stopTimeoutSeconds: null,
    expectedShutdown: 'clean',
    disrupt: async (stack, service) => {
      const since = epochMs();
      const create = await timed(() => stack.restart(service));
      return { phasesMs: { create }, exitCode: (await exitCodesSince(stack.containerId(service), since)).at(-1) ?? null };
    },
  },
  // The negative control, a classic: an entrypoint wrapper that runs the server under a shell.
  // Docker sends the stop signal to PID 1 only, and the shell does not pass it on, so the server
  // never hears it. Either the shell ignores it (PID 1 ignores signals it has no handler for) and
  // docker stop kills everything after the grace period, or the shell exits on it (dash under
  // -c catches SIGINT, the postgres image's stop signal) and the kernel kills the server with
  // it. A user expects a stop to be clean; the harness must report that this one was not.
  'signal-not-forwarded': {
    command: `docker stop -t ${CONTROL_STOP_TIMEOUT_MS / 1000} CONTAINER && docker start CONTAINER, the server under sh -c as PID 1`,
    stopTimeoutSeconds: CONTROL_STOP_TIMEOUT_MS / 1000,
    expectedShutdown: 'clean',
    serverUnderShell: true,
    disrupt: stopThenStart(CONTROL_STOP_TIMEOUT_MS),
  },
};

/**
 * The image's own command run by `sh -c '"$@" & wait'` as PID 1, as a hand-written wrapper
 * entrypoint does. The image's default command, not the target's: the control needs no other.
 */
async function underShell(container: GenericContainer, image: string): Promise<GenericContainer> {
  const facts = await inspectImage(image);
  if (facts === undefined || facts.defaultCommand.length === 0) throw new Error(`image ${image} has no default command to run under a shell`);
  return container.withEntrypoint(['sh', '-c', '"$@" & wait', 'sh']).withCommand(facts.defaultCommand);
}

export interface StopModeSpec {
  scenario: string;
  target: DatabaseTarget;
  storage: StorageKind;
  mode: StopMode;
}

export type StopModeContext = ImageDrillContext;

function stopModePlace(spec: Pick<StopModeSpec, 'target' | 'storage' | 'mode'>): ResultPlace {
  return { target: spec.target.name, storage: spec.storage, disruption: 'stop-start', variant: spec.mode };
}

export function stopModeId(spec: Pick<StopModeSpec, 'target' | 'storage' | 'mode'>): string {
  return placeId(stopModePlace(spec));
}

export async function runStopModeDrill(spec: StopModeSpec, context: StopModeContext): Promise<CellResult> {
  const mode = MODE_SPECS[spec.mode];
  const identity = identify(stopModePlace(spec), {
    scenario: spec.scenario,
    title: `${spec.target.displayName} on ${spec.storage}: ${mode.command.replaceAll('CONTAINER', '…')}`,
    expected: 'survives',
  });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope) }, context);
}

async function runTrial(spec: StopModeSpec, context: StopModeContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target } = spec;
  const mode = MODE_SPECS[spec.mode];
  const say = (step: string) => progress(`${stopModeId(spec)}: trial ${trial}: ${step}`);
  const { placement, initialised } = await prepareTrialStorage(target, spec.storage, context, scope);
  const service = target.name;
  const define = async () => {
    const definition = placement.applyTo(target.container(context.image.reference, placement.serverDataDir));
    return mode.serverUnderShell ? underShell(definition, context.image.reference) : definition;
  };
  const stack = await HarnessStack.start(scope, stopModeId(spec), { [service]: define });
  const probe = new SqlProbe(target);
  const serverVersion = await probe.serverVersion(stack);
  const load = await probe.ledger.startWriters(stack, WRITERS);
  await sleep(WRITE_BEFORE_STOP_MS);
  // Only what is printed from the stop on tells about this stop and the next start.
  const logOffset = (await stack.logs(service)).length;
  say(`${WRITERS} writers committing; ${mode.command}`);
  const { phasesMs, exitCode } = await mode.disrupt(stack, service);
  const ledger = await load.stop();
  const { writes, readyMs, verifiedMs } = await probe.ledger.count(stack, ledger);
  phasesMs.ready = readyMs;
  phasesMs.verified = verifiedMs;
  const logsSinceStop = await logsOnceReady(stack.containerId(service), target.readyMarker, logOffset);
  const shutdown = readShutdownEvidence(target, logsSinceStop);
  const facts: StopModeFacts = {
    kind: 'stop-mode',
    mode: spec.mode,
    command: mode.command,
    stopTimeoutSeconds: mode.stopTimeoutSeconds,
    expectedShutdown: mode.expectedShutdown,
    shutdown: shutdown.verdict,
    exitCode,
    logLine: shutdown.line,
    serverRecoveryMs: shutdown.serverRecoveryMs,
    writes,
  };
  const verdict = judgeStopMode(writes, shutdown.verdict, mode.expectedShutdown);
  say(`${describeShutdown(shutdown.verdict)}; ${writes.lost} of ${writes.acknowledged} acknowledged writes lost`);
  return {
    outcome: {
      trial,
      observed: verdict.observed,
      reinitialised: target.initialisationMarkers.some((marker) => marker.test(logsSinceStop)),
      cleanShutdown: shutdown.verdict === 'clean',
      differences: verdict.differences,
    },
    matches: verdict.matches,
    details: facts,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { ledger: { present: true, rows: writes.acknowledged, contentHash: null } },
    after: { ledger: { present: true, rows: writes.present, contentHash: null } },
    rowsLost: writes.lost,
    rowsUnexpected: writes.unexpected,
    imageId: (await stack.inspect(service)).imageId,
    serverVersion,
    evidence: [`storage: ${placement.description}`, ...(initialised ? [initialised] : []), ...describeStop(mode, facts, phasesMs, ledger.unknown.length)],
  };
}

/** Every acknowledged write kept, and the server stopped the way this mode promises. */
export function judgeStopMode(
  writes: Pick<AcknowledgedWrites, 'lost' | 'unexpected'>,
  shutdown: ShutdownVerdict,
  expected: ShutdownVerdict,
): { observed: Outcome; matches: boolean; differences: string[] } {
  const observed: Outcome = writes.lost === 0 && writes.unexpected === 0 ? 'survives' : 'lost';
  const differences = [
    ...(writes.lost > 0 ? [`${writes.lost} acknowledged writes lost`] : []),
    ...(shutdown === expected ? [] : [`${describeShutdown(shutdown)} where ${describeShutdown(expected)} was expected`]),
  ];
  return { observed, matches: observed === 'survives' && shutdown === expected, differences };
}

function describeStop(mode: ModeSpec, facts: StopModeFacts, phasesMs: Partial<Record<Phase, number>>, inFlight: number): string[] {
  const { writes, exitCode } = facts;
  const redo = facts.serverRecoveryMs === null ? '' : `; the server reports its redo took ${(facts.serverRecoveryMs / 1000).toFixed(2)} s`;
  return [
    ...(mode.serverUnderShell ? ['the server runs under `sh -c` as PID 1, which does not pass the stop signal on'] : []),
    `${mode.command}: ${describeShutdown(facts.shutdown)} (expected ${describeShutdown(mode.expectedShutdown)})${facts.logLine ? `; the server's log: "${facts.logLine}"` : ''}`,
    ...(exitCode === null ? [] : [`stopped with ${describeExit(exitCode)}${phasesMs.stop === undefined ? '' : ` after ${phasesMs.stop} ms`}`]),
    `back up: running after ${phasesMs.create} ms, answering after a further ${phasesMs.ready} ms${redo}`,
    `writes: ${writes.acknowledged} acknowledged before the stop, ${writes.present} present, ${writes.lost} lost, ${writes.unexpected} unexpected, ${writes.recovered} of ${inFlight} in-flight writes present`,
  ];
}

const SHUTDOWN_DESCRIPTIONS: Record<ShutdownVerdict, string> = {
  clean: 'clean shutdown',
  interrupted: 'shutdown interrupted: killed before it finished, no crash recovery needed',
  'crash-recovery': 'crash recovery on the next start',
  unknown: 'neither a clean shutdown nor crash recovery in the log',
};

/** "exit code 137 (PID 1 ended by SIGKILL)": a code over 128 is the signal that ended PID 1. */
function describeExit(exitCode: number): string {
  const signal = Object.entries(constants.signals).find(([, number]) => number === exitCode - 128)?.[0];
  return `exit code ${exitCode}${exitCode > 128 && signal !== undefined ? ` (PID 1 ended by ${signal})` : ''}`;
}

export function describeShutdown(verdict: ShutdownVerdict): string {
  return SHUTDOWN_DESCRIPTIONS[verdict];
}
