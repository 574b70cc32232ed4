// The throwaway server a backup is restored into: a new container of the service's own image, with
// the user's environment and command, on empty storage, carrying the run's label and removed with
// the run's scope. Nothing of the user's (volume, folder, container) is mounted or touched.
import type { Readable } from 'node:stream';
import { GenericContainer } from 'testcontainers';
import { inspectContainer, readLogs } from '../docker/containers.ts';
import { execIn } from '../docker/exec.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';
import type { RunInServer } from '../services/artifact-kits.ts';
import { runInContainer } from '../services/load-dump.ts';
import { lastLines } from '../terminal/last-lines.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';

const READY_LIMIT_MS = 180_000;
const POLL_MS = 100;

export interface ServerSetup {
  image: string;
  environment: Record<string, string>;
  /** The service's own command (Compose's `command:`), or the image's. */
  command: string[] | null;
  /** `volume:path[:ro]` mounts: the restored data, where the service keeps it (and an archive it replays, read-only). */
  binds?: string[];
}

export interface ThrowawayServer {
  id: string;
  /** The container's last log lines, with the values of its environment hidden. */
  logTail(): Promise<string>;
}

export async function startThrowaway(setup: ServerSetup, scope: RunScope): Promise<ThrowawayServer> {
  let container = new GenericContainer(setup.image)
    .withEnvironment(setup.environment)
    .withLabels(scope.labels('verify'))
    .withName(scope.uniqueName('verify'))
    .withWaitStrategy(new ContainerRunning());
  if (setup.command) container = container.withCommand(setup.command);
  // One call with every mount: each call of withBindMounts replaces the ones before it.
  const mounts = (setup.binds ?? []).map((bind) => {
    const [source, target, mode] = bind.split(':') as [string, string, string | undefined];
    return { source, target, mode: mode === 'ro' ? ('ro' as const) : ('rw' as const) };
  });
  if (mounts.length > 0) container = container.withBindMounts(mounts);
  const started = await container.start();
  const id = started.getId();
  scope.trackContainer(id);
  return {
    id,
    logTail: async () => logTailOf(id, setup.environment, 5),
  };
}

/** A container's last log lines with every value of its environment hidden (a user's password is never printed). */
export async function logTailOf(id: string, environment: Readonly<Record<string, string>>, lines: number): Promise<string> {
  let tail = lastLines(await readLogs(id).catch(() => ''), lines);
  for (const secret of Object.values(environment).filter((value) => value.length >= 4)) tail = tail.split(secret).join('***');
  return tail;
}

/** Why the server never answered (it exited, or not in time); undefined once it answers `readyCommand`. */
export async function untilAnswering(server: ThrowawayServer, readyCommand: readonly string[]): Promise<string | undefined> {
  const deadline = deadlineIn(READY_LIMIT_MS);
  for (let attempt = 1; ; attempt += 1) {
    // A server that exited refuses the exec itself: that is its answer, read from its state below.
    const result = await execIn(server.id, [...readyCommand]).catch(() => undefined);
    if (result?.exitCode === 0) return undefined;
    if (result === undefined || attempt % 10 === 0) {
      const state = await inspectContainer(server.id);
      if (!state.running) return `the server exited with code ${state.exitCode}; its last log lines: ${await server.logTail()}`;
    }
    if (deadline.passed()) return `the server did not answer within ${READY_LIMIT_MS / 1000} s; its last log lines: ${await server.logTail()}`;
    await sleep(POLL_MS);
  }
}

const SETTLE_MS = 3_000;

/** For a service persist cannot ask (no kit): why it stopped within its first seconds on the data, or undefined while it runs. */
export async function untilSettled(server: ThrowawayServer): Promise<string | undefined> {
  await sleep(SETTLE_MS);
  const state = await inspectContainer(server.id);
  return state.running ? undefined : `the service exited with code ${state.exitCode} on the restored data; its last log lines: ${await server.logTail()}`;
}

/** Commands in the server's container, the artifact's bytes fed on standard input where asked. */
export function runIn(server: ThrowawayServer, artifact: () => Readable): RunInServer {
  return runInContainer(server.id, artifact);
}
