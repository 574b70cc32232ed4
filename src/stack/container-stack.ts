// What every stack does the same way once it knows a service's container: read its port, stop
// it with the grace period, read its logs, mounts and state from the engine. The stacks differ
// only in how they make and replace containers (testcontainers, or Docker Compose).
import { type ContainerState, inspectContainer, type MountFact, mappedPort, readLogs, stopGracefully } from '../docker/containers.ts';
import type { Endpoint, Replacement, Stack } from './stack.ts';

export abstract class ContainerStack implements Stack {
  abstract readonly services: readonly string[];
  abstract containerId(service: string): string;
  abstract start(service: string): Promise<void>;
  abstract restart(service: string): Promise<void>;
  abstract kill(service: string, signal?: string): Promise<void>;
  abstract replace(service: string, how: Replacement): Promise<{ removedMs: number; createdMs: number }>;
  abstract remove(service: string): Promise<void>;
  abstract up(service: string): Promise<void>;
  /** Where this process connects to the service's published ports. */
  protected abstract hostOf(service: string): string;

  async endpoint(service: string, containerPort: number): Promise<Endpoint> {
    return { host: this.hostOf(service), port: await mappedPort(this.containerId(service), containerPort) };
  }

  stop(service: string, timeoutMs?: number): Promise<ContainerState> {
    return stopGracefully(this.containerId(service), timeoutMs);
  }

  logs(service: string): Promise<string> {
    return readLogs(this.containerId(service));
  }

  async mounts(service: string): Promise<MountFact[]> {
    return (await inspectContainer(this.containerId(service))).mounts;
  }

  inspect(service: string): Promise<ContainerState> {
    return inspectContainer(this.containerId(service));
  }
}
