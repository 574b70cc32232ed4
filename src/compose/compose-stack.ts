// A copy of a user's Compose project as a stack: the second implementation of Stack, driven by
// Docker Compose itself in the lifecycle commands a team runs (`up -d --wait`, `restart`,
// `up --force-recreate`, `rm` + `up`, `kill`). The copy runs under its own project name with the
// override from copy-plan.ts, so it shares nothing with the original. Everything it makes is
// removed by dispose(): Compose's own `down -v`, then the anonymous volumes it recorded (they
// carry no labels), then the scratch folders.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { composeArgs, composeConfig, composeMessage, type ComposeOptions } from './compose-cli.ts';
import type { ComposeModel } from './compose-model.ts';
import { asArgs } from './project.ts';
import { copyProjectName, planCopy, type CopyPlan } from './copy-plan.ts';
import { redact, secretValues } from './secrets.ts';
import { type Lifecycle, pruneScopeOf } from './storage-map.ts';
import { inspectContainer } from '../docker/containers.ts';
import { docker, engineApiVersion } from '../docker/engine.ts';
import { freePortOn } from '../docker/free-port.ts';
import { connectHost, publishAddress } from '../docker/host-only-container.ts';
import { removeVolume, type RunScope } from '../docker/run-scope.ts';
import { recordAnonymousVolume } from '../docker/temp-root.ts';
import { HarnessError } from '../errors.ts';
import { stopwatch } from '../timing/clock.ts';
import { ContainerStack } from '../stack/container-stack.ts';
import type { Replacement } from '../stack/stack.ts';

const ANONYMOUS = /^[0-9a-f]{64}$/;
const STALE_ENDPOINT = /error while removing network: .* has active endpoints/;

export class ComposeCommandError extends HarnessError {
  constructor(command: string, message: string) {
    super(`docker compose ${command} failed: ${message}.`, 'Check the service logs in the report evidence, then run the check again.');
  }
}

/**
 * A bind source copied as Docker would find the user's: `cp -a` keeps owners (as root), modes and
 * times, so a server that runs as its own user meets the folder it would meet; a missing folder of
 * the short syntax is made as Docker makes it (root, 755), one of the long syntax left missing, so
 * the copy's container is refused as the user's would be.
 */
async function copyBindSource(copy: CopyPlan['bindCopies'][number]): Promise<void> {
  await mkdir(dirname(copy.to), { recursive: true });
  const exists = await stat(copy.from).then(
    () => true,
    () => false,
  );
  if (exists) await execa('cp', ['-a', copy.from, copy.to]);
  else if (copy.createsHostPath) await mkdir(copy.to, { recursive: true, mode: 0o755 });
}

export class ComposeStack extends ContainerStack {
  readonly services: readonly string[];
  readonly plan: CopyPlan;
  private readonly containers = new Map<string, string>();
  private readonly anonymousVolumes = new Set<string>();
  /** The user's options plus the copy's override files; an upgrade adds one more. */
  private options: ComposeOptions;
  private readonly folder: string;
  private readonly environments: Record<string, Record<string, string | null>>;
  private readonly commands: Record<string, string[] | null>;
  private readonly host: string;
  private readonly runId: string;
  /** The project's credential values: hidden in every message repeated from Compose. */
  private readonly secrets: string[];

  private constructor(options: ComposeOptions, plan: CopyPlan, resolved: ComposeModel, folder: string, host: string, runId: string) {
    super();
    this.runId = runId;
    const services = Object.entries(resolved.services ?? {});
    this.environments = Object.fromEntries(services.map(([name, service]) => [name, service.environment ?? {}]));
    this.commands = Object.fromEntries(services.map(([name, service]) => [name, asArgs(service.command)]));
    this.secrets = secretValues(Object.values(this.environments));
    this.folder = folder;
    this.options = options;
    this.plan = plan;
    this.services = Object.keys(resolved.services ?? {});
    this.host = host;
  }

  /**
   * Copies the bind sources, writes the override, and starts the copy (`up -d --wait --pull never`).
   * ports.probe: the container ports the harness connects to, per service (published in the copy);
   * ports.fixed: container ports whose host port must not change across recreates, per service:
   * each gets a port free on the publish address now (an ephemeral one where that is not this machine).
   */
  static async start(scope: RunScope, project: ComposeOptions, choices: CopyChoices = {}): Promise<ComposeStack> {
    const { ports = {}, only, model } = choices;
    const folder = await scope.createHostFolder('compose-copy');
    const resolved = model ?? ((await composeConfig(project, true)) as ComposeModel);
    const address = (await publishAddress()) ?? '127.0.0.1';
    const fixedPorts: Record<string, Record<number, number>> = {};
    for (const [service, containerPorts] of Object.entries(ports.fixed ?? {}))
      for (const port of containerPorts) {
        const free = await freePortOn(address);
        if (free !== undefined) fixedPorts[service] = { ...fixedPorts[service], [port]: free };
      }
    const plan = planCopy(resolved, {
      projectName: copyProjectName(scope.runId, choices.name),
      runId: scope.runId,
      scratchRoot: join(folder, 'binds'),
      publishAddress: address,
      probePorts: ports.probe,
      fixedPorts,
    });
    for (const copy of plan.bindCopies) await copyBindSource(copy);
    const override = join(folder, 'compose.persist-copy.yaml');
    await writeFile(override, plan.override);
    const options: ComposeOptions = { ...project, files: [...project.files, override], projectName: plan.projectName };
    const stack = new ComposeStack(options, plan, resolved, folder, await connectHost(), scope.runId);
    stack.only = only ? [...only] : [];
    // Registered before it starts: a failed `up` still leaves things dispose() must remove.
    scope.onDispose(() => stack.dispose());
    stack.startProblem = await stack.upAll();
    return stack;
  }

  /** Why `up --wait` failed at the start (a service exited or never got ready), if it did. */
  startProblem: string | undefined;

  /** The services the copy runs, named on every command that starts or stops; empty for all of them. */
  private only: string[] = [];

  /**
   * `up -d --wait` for the whole copy. A service that exits or never gets ready makes Compose fail
   * while the others run: that is the service's answer (a finding), so it is returned, not thrown.
   */
  private async upAll(extra: string[] = []): Promise<string | undefined> {
    try {
      await this.compose(['up', '-d', '--wait', '--pull', 'never', ...extra, ...this.only]);
      return undefined;
    } catch (error) {
      if (error instanceof ComposeCommandError) return error.message;
      throw error;
    } finally {
      await this.refresh();
    }
  }

  /** Whether Compose made a container for the service (running or not). */
  hasContainer(service: string): boolean {
    return this.containers.has(service);
  }

  /** Whether the service has a container that runs now. */
  async isRunning(service: string): Promise<boolean> {
    const id = this.containers.get(service);
    return id !== undefined && (await inspectContainer(id)).running;
  }

  containerId(service: string): string {
    const id = this.containers.get(service);
    if (!id) throw new HarnessError(`The copy has no running container for service "${service}".`, 'This is a harness bug; please report it.');
    return id;
  }

  protected hostOf(): string {
    return this.host;
  }

  async start(service: string): Promise<void> {
    await this.compose(['start', service]);
  }

  async restart(service: string): Promise<void> {
    await this.compose(['restart', service]);
  }

  async kill(service: string, signal = 'SIGKILL'): Promise<void> {
    await this.compose(['kill', '-s', signal, service]);
  }

  /**
   * recreate: `rm -s -f -v` then `up` (the anonymous volumes go with the container);
   * force-recreate: `up --force-recreate` (Compose carries them over);
   * down-up: `rm -s -f` then `up` (new ones; the old are left behind, recorded for removal).
   */
  async replace(service: string, how: Replacement): Promise<{ removedMs: number; createdMs: number }> {
    await this.recordAnonymousVolumes(service);
    if (how === 'force-recreate') {
      const watch = stopwatch();
      await this.compose(['up', '-d', '--wait', '--no-deps', '--force-recreate', service]);
      await this.refresh();
      return { removedMs: 0, createdMs: watch.ms() };
    }
    const removal = stopwatch();
    await this.compose(['rm', '-s', '-f', ...(how === 'recreate' ? ['-v'] : []), service]);
    const removedMs = removal.ms();
    const creation = stopwatch();
    await this.up(service);
    return { removedMs, createdMs: creation.ms() };
  }

  async remove(service: string): Promise<void> {
    await this.compose(['rm', '-s', '-f', '-v', service]);
    this.containers.delete(service);
  }

  async up(service: string): Promise<void> {
    await this.compose(['up', '-d', '--wait', '--no-deps', service]);
    await this.refresh();
  }

  /**
   * A lifecycle command on the whole copy, as a team runs it: `restart`, `up -d --force-recreate`,
   * `down` then `up -d`, `down -v` then `up -d`. Anonymous volumes are recorded first, so the ones
   * a `down` leaves behind are removed with the copy. Returns why a service did not come back, if one did not.
   */
  async lifecycle(command: Exclude<Lifecycle, 'upgrade'>): Promise<string | undefined> {
    await this.recordAllAnonymousVolumes();
    if (command === 'restart') {
      await this.compose(['restart', ...this.only]);
      await this.refresh();
      return undefined;
    }
    if (command === 'up --force-recreate') return this.upAll(['--force-recreate']);
    await this.down(['down', ...(command === 'down -v + up' ? ['-v'] : []), '--timeout', '30']);
    if (command === 'down + volume prune' || command === 'down + volume prune --all') await this.pruneOwnVolumes(command.endsWith('--all'));
    return this.upAll();
  }

  /**
   * `docker volume prune` as this engine runs it, on the copy's own volumes only (its Compose
   * project's label): never an unfiltered prune. `--all` is asked only of an engine that knows it
   * (API 1.42 and later); an older one's plain prune already removes named volumes.
   */
  private async pruneOwnVolumes(all: boolean): Promise<void> {
    const askAll = all && pruneScopeOf(await engineApiVersion()) === 'anonymous';
    await docker().pruneVolumes({
      filters: { label: [`com.docker.compose.project=${this.plan.projectName}`], ...(askAll ? { all: ['true'] } : {}) },
    });
  }

  /** The copy's named volumes as Compose made them (by its labels), and where each one's data lies on the engine's host. */
  async namedVolumes(): Promise<Array<{ name: string; labels: Record<string, string>; mountpoint: string }>> {
    const { Volumes: volumes } = await docker().listVolumes({ filters: { label: [`com.docker.compose.project=${this.plan.projectName}`] } });
    return (volumes ?? [])
      .filter((volume) => volume.Labels?.['com.docker.compose.volume'] !== undefined)
      .map((volume) => ({ name: volume.Name, labels: volume.Labels ?? {}, mountpoint: volume.Mountpoint }));
  }

  /** The copy's containers removed, its volumes kept, nothing started again: after a graceful `down`, or after SIGKILL. */
  async removeContainers(how: 'graceful' | 'SIGKILL'): Promise<void> {
    await this.recordAllAnonymousVolumes();
    if (how === 'SIGKILL') await this.compose(['kill', '-s', 'SIGKILL', ...this.only]);
    await this.down(['down', '--timeout', '30']);
    await this.refresh();
  }

  /** `up -d --wait` of the copy after removeContainers; a service that does not come back is returned, not thrown. */
  upAgain(): Promise<string | undefined> {
    return this.upAll();
  }

  /** SIGKILL to every container of the copy, then `up -d --wait`, which starts them again. */
  async killAll(): Promise<string | undefined> {
    await this.recordAllAnonymousVolumes();
    await this.compose(['kill', '-s', 'SIGKILL', ...this.only]);
    return this.upAll();
  }

  /**
   * The services' new images, in one more override file, then `up -d --wait`: Compose recreates
   * exactly the services whose image changed, carrying their anonymous volumes over.
   */
  async upgrade(images: Record<string, string>): Promise<string | undefined> {
    await this.recordAllAnonymousVolumes();
    const file = join(this.folder, 'compose.persist-upgrade.yaml');
    const services = Object.fromEntries(Object.entries(images).map(([service, image]) => [service, { image }]));
    await writeFile(file, stringify({ services }));
    this.options = { ...this.options, files: [...this.options.files, file] };
    return this.upAll();
  }

  /** The service's environment as Compose resolved it (credentials included: never print it). */
  environmentOf(service: string): Record<string, string | null> {
    return this.environments[service] ?? {};
  }

  /** The service's command as Compose resolved it, or null for the image's own. */
  commandOf(service: string): string[] | null {
    return this.commands[service] ?? null;
  }

  /**
   * What a user's own command gets so that `docker compose` in it means this copy, not their
   * project: Compose reads COMPOSE_PROJECT_NAME, COMPOSE_FILE, COMPOSE_PROFILES and COMPOSE_ENV_FILES.
   */
  commandEnvironment(): Record<string, string> {
    return {
      COMPOSE_PROJECT_NAME: this.plan.projectName,
      COMPOSE_FILE: this.options.files.map((file) => resolve(file)).join(':'),
      COMPOSE_PATH_SEPARATOR: ':',
      ...(this.options.profiles.length > 0 ? { COMPOSE_PROFILES: this.options.profiles.join(',') } : {}),
      ...(this.options.envFiles.length > 0 ? { COMPOSE_ENV_FILES: this.options.envFiles.map((file) => resolve(file)).join(',') } : {}),
    };
  }

  /** Where the user's own commands run: the project directory, as Compose resolves it. */
  projectDirectory(): string {
    return resolve(this.options.projectDirectory ?? dirname(this.options.files[0] ?? '.'));
  }

  /** Hides the project's credential values in text repeated from the copy (logs, command output). */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  /**
   * `down -v` (containers, networks, the project's volumes), then the anonymous volumes recorded.
   * Those are removed even when `down` fails (the run's sweep then takes what it left, by label).
   */
  async dispose(): Promise<void> {
    await this.recordAllAnonymousVolumes().catch(() => undefined);
    try {
      await this.down(['down', '-v', '--remove-orphans', '--timeout', '10']);
    } finally {
      for (const volume of this.anonymousVolumes) await removeVolume(volume).catch(() => undefined);
      this.anonymousVolumes.clear();
      this.containers.clear();
    }
  }

  /**
   * `down`, which has removed the containers and volumes when only its last step, the network,
   * fails on an endpoint the engine still counts for a removed container (a known engine fault):
   * the next `up` reuses the network, and the run's cleanup reports it if the engine never lets go.
   */
  private async down(args: string[]): Promise<void> {
    try {
      await this.compose(args);
    } catch (error) {
      if (!(error instanceof ComposeCommandError && STALE_ENDPOINT.test(error.message))) throw error;
    }
  }

  /** Runs `docker compose` on the copy; a failure is one sentence with Compose's own words. */
  async compose(args: string[]): Promise<string> {
    const result = await execa('docker', ['compose', ...composeArgs(this.options), ...args], { reject: false });
    if (result.exitCode !== 0) throw new ComposeCommandError(args.join(' '), this.redact(composeMessage(String(result.stderr ?? ''))));
    return String(result.stdout);
  }

  /**
   * Which container runs each service now: what `docker compose ps -a -q SERVICE` answers, asked
   * of the engine once by Compose's labels. One `ps` per service ran Compose once each, reading
   * every file of the project each time: on the pitfalls example (20 services) that made each
   * lifecycle step of the check about 10 s longer.
   */
  private async refresh(): Promise<void> {
    const found = await docker().listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${this.plan.projectName}`, 'com.docker.compose.oneoff=False'] },
    });
    // Compose numbers a service's containers from 1: a service's first is the one it runs.
    const number = (labels: Record<string, string>) => Number(labels['com.docker.compose.container-number'] ?? 0);
    found.sort((a, b) => number(a.Labels) - number(b.Labels));
    this.containers.clear();
    for (const container of found) {
      const service = container.Labels['com.docker.compose.service'] ?? '';
      if (this.services.includes(service) && !this.containers.has(service)) this.containers.set(service, container.Id);
    }
  }

  /** Before anything that can leave the copy's anonymous volumes behind (a `down`, a recreate). */
  private async recordAllAnonymousVolumes(): Promise<void> {
    for (const service of this.containers.keys()) await this.recordAnonymousVolumes(service);
  }

  private async recordAnonymousVolumes(service: string): Promise<void> {
    const id = this.containers.get(service);
    if (!id) return;
    for (const mount of (await inspectContainer(id)).mounts)
      if (mount.type === 'volume' && ANONYMOUS.test(mount.source) && !this.anonymousVolumes.has(mount.source)) {
        this.anonymousVolumes.add(mount.source);
        // Also on disk: a sweep after Ctrl-C runs in another process.
        await recordAnonymousVolume(this.runId, mount.source);
      }
  }
}
/** How a copy is made: the ports the probes need, the services to run, the model already read, a name. */
export interface CopyChoices {
  ports?: { probe?: Record<string, number[]>; fixed?: Record<string, number[]> };
  /** The services to run (what they depend on included); every one when not given. */
  only?: readonly string[];
  /** The project's canonical model as the audit read it; read here when not given. */
  model?: ComposeModel;
  /** Told apart from another copy in the same run (the engine's own tests run two at once). */
  name?: string;
}
