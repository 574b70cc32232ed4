// The application started on the restored data: the services a project names (`--app web`),
// each as the project configures it (image, environment, command, entrypoint, user, healthcheck,
// the ports it publishes), on a network of their own where the throwaway restore answers to the
// database service's name. Nothing of the project's is mounted, built or pulled: a named volume
// is a new empty one and a bind mount is left out, so the user's folders stay untouched. Each is
// watched by its healthcheck, else its published port, else for 10 s of running without a restart.
import { Socket } from 'node:net';
import { mappedPort } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import { connectHost, HostOnlyContainer } from '../docker/host-only-container.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';
import { deadlineIn, round, sleep, stopwatch } from '../timing/clock.ts';
import { parseDuration } from '../timing/durations.ts';
import { httpRequest } from '../web/http.ts';
import { type AppObservation, judgeApp, pageWords } from './app-answer.ts';
import { logTailOf } from './throwaway-server.ts';

const WAIT_LIMIT_MS = 120_000;
const RUNNING_FOR_MS = 10_000;
const POLL_MS = 500;

export interface AppServiceSetup {
  name: string;
  image: string;
  environment: Record<string, string>;
  command: string[] | null;
  entrypoint: string[] | null;
  workingDir: string | null;
  user: string | null;
  /** Compose's healthcheck; undefined: the image's own, if it has one. `disable` switches it off. */
  healthcheck?: { test?: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string; disable?: boolean };
  /** The container ports it publishes: published again on free ports of this machine, never the project's own. */
  ports: number[];
  /** Where it keeps named volumes: each gets a new empty volume. */
  volumeTargets: string[];
}

export interface AppResult {
  service: string;
  image: string;
  cameUp: boolean;
  by: AppObservation['by'];
  detail: string;
  /** From its start until it came up or was judged not to (the harness's monotonic clock). */
  ms: number;
  logTail: string | null;
}

const asCommand = (value: string[] | string | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : ['CMD-SHELL', value];

async function start(setup: AppServiceSetup, network: string, scope: RunScope) {
  let container = new HostOnlyContainer(setup.image)
    .withEnvironment(setup.environment)
    .withLabels(scope.labels('verify-app'))
    .withName(scope.uniqueName(`verify-app-${setup.name}`))
    .withNetworkMode(network)
    .withNetworkAliases(setup.name)
    .withWaitStrategy(new ContainerRunning());
  if (setup.command) container = container.withCommand(setup.command);
  if (setup.entrypoint) container = container.withEntrypoint(setup.entrypoint);
  if (setup.workingDir) container = container.withWorkingDir(setup.workingDir);
  if (setup.user) container = container.withUser(setup.user);
  if (setup.ports.length > 0) container = container.withExposedPorts(...setup.ports);
  const check = setup.healthcheck;
  if (check?.test && !check.disable)
    container = container.withHealthCheck({
      test: asCommand(check.test) as ['CMD', ...string[]],
      ...(check.interval ? { interval: parseDuration(check.interval) } : {}),
      ...(check.timeout ? { timeout: parseDuration(check.timeout) } : {}),
      ...(check.retries ? { retries: check.retries } : {}),
      ...(check.start_period ? { startPeriod: parseDuration(check.start_period) } : {}),
    });
  for (const target of setup.volumeTargets)
    container = container.withBindMounts([{ source: await scope.createVolume(`verify-app-${setup.name}`), target, mode: 'rw' }]);
  const started = await container.start();
  scope.trackContainer(started.getId());
  return started.getId();
}

/** The healthcheck the container runs (Compose's or the image's), if any. */
async function hasHealthcheck(id: string, setup: AppServiceSetup): Promise<boolean> {
  if (setup.healthcheck?.disable) return false;
  const test = (await docker().getContainer(id).inspect()).Config.Healthcheck?.Test ?? [];
  return test.length > 0 && test[0] !== 'NONE';
}

async function answerOf(host: string, port: number): Promise<AppObservation['http'] | AppObservation['tcp']> {
  try {
    const answer = await httpRequest(`http://${host}:${port}/`);
    return { port, status: answer.status, location: answer.location, ...pageWords(answer.body.toString('utf8')) };
  } catch {
    return new Promise((resolve) => {
      // A published port on this machine refuses or accepts at once; the watch's own deadline bounds the rest.
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve({ port, connected: true });
      });
      socket.once('error', (error: Error) => {
        socket.destroy();
        resolve({ port, connected: false, error: error.message });
      });
      socket.connect(port, host);
    });
  }
}

/** Watches one started service until it says whether it came up. */
async function watch(id: string, setup: AppServiceSetup): Promise<AppObservation> {
  const service = setup.name;
  const deadline = deadlineIn(WAIT_LIMIT_MS);
  const by: AppObservation['by'] = (await hasHealthcheck(id, setup)) ? 'healthcheck' : setup.ports.length > 0 ? 'port' : 'running';
  const host = await connectHost();
  const runningSince = stopwatch();
  for (;;) {
    const info = await docker().getContainer(id).inspect();
    if (!info.State.Running) return { service, by, exitCode: info.State.ExitCode };
    if (info.RestartCount > 0) return { service, by, restarted: true };
    if (by === 'healthcheck') {
      const health = info.State.Health?.Status as AppObservation['health'] | undefined;
      if (health === 'healthy' || health === 'unhealthy') return { service, by, health };
      if (deadline.passed()) return { service, by, health: 'starting', timedOut: true };
    } else if (by === 'port') {
      const answer = await answerOf(host, await mappedPort(id, setup.ports[0]!));
      if (answer && 'status' in answer) return { service, by, http: answer };
      if (answer?.connected || deadline.passed()) return { service, by, tcp: answer as AppObservation['tcp'] };
    } else if (runningSince.ms() >= RUNNING_FOR_MS) return { service, by, timedOut: false };
    await sleep(POLL_MS);
  }
}

/**
 * Starts the application's services on the throwaway server (reached by `databaseService`'s
 * name) and says of each whether it came up on the restored data.
 */
export async function startApplication(serverId: string, databaseService: string, services: readonly AppServiceSetup[], scope: RunScope): Promise<AppResult[]> {
  const network = await scope.createNetwork('verify-app');
  await docker()
    .getNetwork(network)
    .connect({ Container: serverId, EndpointConfig: { Aliases: [databaseService] } });
  const results: AppResult[] = [];
  for (const setup of services) {
    const clock = stopwatch();
    const id = await start(setup, network, scope);
    const seen = await watch(id, setup);
    const judged = judgeApp(seen);
    const tail = judged.cameUp ? null : await logTailOf(id, setup.environment, 8);
    results.push({ service: setup.name, image: setup.image, cameUp: judged.cameUp, by: seen.by, detail: judged.detail, ms: round(clock.ms()), logTail: tail });
  }
  return results;
}
