// The harness's own stacks: each service a container definition that testcontainers starts, with
// the run's labels. Every container it makes, and every anonymous volume left behind by a
// replacement, is tracked by the run scope and removed with it.
import type { GenericContainer } from 'testcontainers';
import { inspectContainer, removeContainer, startExisting } from '../docker/containers.ts';
import { docker, statusCode } from '../docker/engine.ts';
import { connectHost } from '../docker/host-only-container.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { stopwatch } from '../timing/clock.ts';
import { ContainerStack } from './container-stack.ts';
import type { Replacement } from './stack.ts';

/** A service: how to define its container; the stack adds labels and starts it. */
export type ServiceDefinition = () => GenericContainer | Promise<GenericContainer>;

const ANONYMOUS = /^[0-9a-f]{64}$/;
/** Each start attempt's own label: a container that exits before testcontainers sees it ready is found by it. */
const ATTEMPT_LABEL = 'persistence-harness.attempt';

/** A service's container as the stack knows it: it may have exited at once (a refusal is a finding). */
interface Current {
  id: string;
  host: string;
}

export class HarnessStack extends ContainerStack {
  private readonly running = new Map<string, Current>();
  private readonly definitions: Map<string, ServiceDefinition>;
  private readonly scope: RunScope;
  private readonly purpose: string;

  private constructor(scope: RunScope, purpose: string, definitions: Record<string, ServiceDefinition>) {
    super();
    this.scope = scope;
    this.purpose = purpose;
    this.definitions = new Map(Object.entries(definitions));
  }

  /** Starts every service, in the order given. */
  static async start(scope: RunScope, purpose: string, definitions: Record<string, ServiceDefinition>): Promise<HarnessStack> {
    const stack = new HarnessStack(scope, purpose, definitions);
    for (const service of stack.services) await stack.create(service);
    return stack;
  }

  get services(): string[] {
    return [...this.definitions.keys()];
  }

  containerId(service: string): string {
    return this.current(service).id;
  }

  protected hostOf(service: string): string {
    return this.current(service).host;
  }

  start(service: string): Promise<void> {
    return startExisting(this.containerId(service));
  }

  async restart(service: string): Promise<void> {
    await docker().getContainer(this.containerId(service)).restart();
  }

  async kill(service: string, signal = 'SIGKILL'): Promise<void> {
    await docker().getContainer(this.containerId(service)).kill({ signal });
  }

  async replace(service: string, how: Replacement): Promise<{ removedMs: number; createdMs: number }> {
    const old = this.containerId(service);
    const anonymous = (await inspectContainer(old)).mounts.filter((m) => m.type === 'volume' && ANONYMOUS.test(m.source));
    const removal = stopwatch();
    if (how === 'recreate') {
      await removeContainer(old);
    } else {
      // Kept with the old container's removal: force-recreate re-attaches them, down-up leaves them behind.
      await removeContainerKeepingVolumes(old);
      for (const volume of anonymous) this.scope.trackVolume(volume.source);
    }
    const removedMs = removal.ms();
    const binds = how === 'force-recreate' ? anonymous.map((m) => ({ source: m.source, target: m.destination })) : [];
    const creation = stopwatch();
    await this.create(service, binds);
    return { removedMs, createdMs: creation.ms() };
  }

  async remove(service: string): Promise<void> {
    await removeContainer(this.containerId(service));
  }

  up(service: string): Promise<void> {
    return this.create(service);
  }

  private current(service: string): Current {
    const container = this.running.get(service);
    if (!container) throw new HarnessError(`The stack has no service "${service}".`, 'This is a harness bug; please report it.');
    return container;
  }

  private async create(service: string, extraBinds: Array<{ source: string; target: string }> = []): Promise<void> {
    const define = this.definitions.get(service);
    if (!define) throw new HarnessError(`The stack has no service "${service}".`, 'This is a harness bug; please report it.');
    const attempt = this.scope.uniqueName('attempt');
    const definition = (await define()).withLabels({ ...this.scope.labels(`${this.purpose}-${service}`), [ATTEMPT_LABEL]: attempt });
    try {
      const started = await (extraBinds.length > 0 ? definition.withBindMounts(extraBinds) : definition).start();
      this.scope.trackContainer(started.getId());
      this.running.set(service, { id: started.getId(), host: started.getHost() });
    } catch (error) {
      // An entrypoint that refuses its data exits before its port is published (postgres 18
      // does), and testcontainers gives up waiting for the port. That is the service's answer,
      // told by its log, not the harness's failure: keep the exited container as the service's.
      const [found] = await docker().listContainers({ all: true, filters: { label: [`${ATTEMPT_LABEL}=${attempt}`] } });
      if (found === undefined) throw error;
      this.scope.trackContainer(found.Id);
      if (found.State === 'running') throw error;
      this.running.set(service, { id: found.Id, host: await connectHost() });
    }
  }
}

async function removeContainerKeepingVolumes(id: string): Promise<void> {
  try {
    await docker().getContainer(id).remove({ force: true, v: false });
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}
