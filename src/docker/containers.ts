// Lifecycle operations on a container the harness started, each timed by the caller.
// testcontainers creates containers; these drive stop/start/remove through the engine API so
// that a graceful stop really is graceful (testcontainers' stop() defaults to a 0 s timeout).
import { docker, statusCode } from './engine.ts';
import { demultiplexLogs } from './log-frames.ts';
import { deadlineIn, epochMs, sleep } from '../timing/clock.ts';

export interface MountFact {
  type: string;
  /** Volume name, or host path for a bind mount. */
  source: string;
  destination: string;
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  imageId: string;
  mounts: MountFact[];
  startedAt: string;
  /** When it last exited; Docker's zero time while it has not. */
  finishedAt: string;
}

export async function inspectContainer(id: string): Promise<ContainerState> {
  const info = await docker().getContainer(id).inspect();
  const mounts: MountFact[] = (info.Mounts ?? []).map((m) => ({
    type: m.Type,
    source: m.Type === 'volume' ? (m.Name ?? '') : m.Source,
    destination: m.Destination,
  }));
  // --tmpfs mounts are not listed under Mounts by every engine version: add them from HostConfig.
  for (const destination of Object.keys(info.HostConfig.Tmpfs ?? {})) {
    if (!mounts.some((m) => m.destination === destination)) mounts.push({ type: 'tmpfs', source: 'tmpfs', destination });
  }
  return {
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    imageId: info.Image,
    mounts,
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
  };
}

/** The host port Docker bound to a container port now (it can change on every start). */
export async function mappedPort(id: string, containerPort: number): Promise<number> {
  const info = await docker().getContainer(id).inspect();
  const bindings = info.NetworkSettings.Ports?.[`${containerPort}/tcp`] ?? [];
  const port = bindings.map((b) => Number(b.HostPort)).find((p) => p > 0);
  if (port === undefined) throw new Error(`container ${id.slice(0, 12)} has no host port for ${containerPort}/tcp`);
  return port;
}

export const GRACEFUL_STOP_TIMEOUT_MS = 30_000;

/** `docker stop -t 30`: the image's STOPSIGNAL, then SIGKILL only if it has not exited in time. */
export async function stopGracefully(id: string, timeoutMs = GRACEFUL_STOP_TIMEOUT_MS): Promise<ContainerState> {
  try {
    await docker()
      .getContainer(id)
      .stop({ t: Math.ceil(timeoutMs / 1000) });
  } catch (error) {
    if (statusCode(error) !== 304) throw error; // 304: already stopped
  }
  return inspectContainer(id);
}

/** One of the engine's events about a container, as `docker events` prints it. */
export interface ContainerEvent {
  Action?: string;
  status?: string;
  timeNano: number;
  Actor?: { Attributes?: Record<string, string> };
}

/** The engine's events about a container between two moments (all kinds, or those named). */
export async function containerEvents(id: string, sinceEpochMs: number, untilEpochMs: number, kinds?: string[]): Promise<ContainerEvent[]> {
  const events = await docker().getEvents({
    since: sinceEpochMs / 1000,
    until: untilEpochMs / 1000,
    filters: { container: [id], type: ['container'], ...(kinds ? { event: kinds } : {}) },
  });
  let text = '';
  for await (const chunk of events) text += chunk.toString();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ContainerEvent);
}

/**
 * The exit codes the engine recorded for the container from `sinceEpochMs` until now, oldest
 * first. `docker restart` stops and starts in one call, and the next start resets the exit code
 * that inspect shows; its "die" event keeps it.
 */
export async function exitCodesSince(id: string, sinceEpochMs: number): Promise<number[]> {
  return (await containerEvents(id, sinceEpochMs, epochMs(), ['die']))
    .map((event) => Number(event.Actor?.Attributes?.exitCode))
    .filter((code) => Number.isInteger(code));
}

/**
 * Resolves once the container is not running (the engine's wait: no polling), at once if it
 * already is not; also once it is removed. Never rejects: a caller that stops caring about the
 * exit (the server came up) simply drops the promise.
 */
export function whenNotRunning(id: string): Promise<'exited' | 'unknown'> {
  return docker()
    .getContainer(id)
    .wait({ condition: 'not-running' })
    .then(
      () => 'exited' as const,
      () => 'unknown' as const,
    );
}

export async function startExisting(id: string): Promise<void> {
  await docker().getContainer(id).start();
}

/** Removes the container and its anonymous volumes; named volumes and bind folders stay. */
export async function removeContainer(id: string): Promise<void> {
  try {
    await docker().getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}

/** Everything the container printed on stdout and stderr, over all its starts. */
/** With timestamps, each line starts with the engine's RFC 3339 time of it (`docker logs --timestamps`). */
export async function readLogs(id: string, { timestamps = false }: { timestamps?: boolean } = {}): Promise<string> {
  const buffer = (await docker().getContainer(id).logs({ stdout: true, stderr: true, follow: false, timestamps })) as unknown as Buffer;
  return demultiplexLogs(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
}

/**
 * The logs from `offset` on, once they hold `readyMarker`. Docker copies a container's output
 * to its log asynchronously: a server can answer queries before `docker logs` shows what it
 * printed while starting. Waiting for its ready line makes every earlier line of that start
 * count. After the timeout, whatever is there is returned: the caller then reports what it saw.
 */
export async function logsOnceReady(id: string, readyMarker: RegExp | undefined, offset = 0, timeoutMs = 10_000): Promise<string> {
  const deadline = deadlineIn(timeoutMs);
  for (;;) {
    const logs = (await readLogs(id)).slice(offset);
    if (readyMarker === undefined || readyMarker.test(logs) || deadline.passed()) return logs;
    await sleep(50);
  }
}

/** For one-shot containers: waits until it has exited, then returns its exit code and output. */
export async function waitForExit(id: string, timeoutMs = 60_000): Promise<{ exitCode: number; logs: string }> {
  const deadline = deadlineIn(timeoutMs);
  while (!deadline.passed()) {
    const state = await inspectContainer(id);
    if (!state.running) return { exitCode: state.exitCode, logs: await readLogs(id) };
    await sleep(50);
  }
  throw new Error(`container ${id.slice(0, 12)} did not exit within ${timeoutMs} ms`);
}
