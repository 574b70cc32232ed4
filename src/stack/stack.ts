// A stack: the services a drill disrupts and a probe reads. The harness builds its own stacks
// (harness-stack.ts); a user's Compose project is the second kind. Drills speak only this
// interface, so every drill runs on either.
import type { ContainerState, MountFact } from '../docker/containers.ts';

/**
 * How a service's container is replaced, named for what happens to its anonymous volumes:
 * - recreate: as the seed does it, `docker rm` then `docker run` with the same mounts: the
 *   anonymous volumes go with the old container;
 * - force-recreate: as `docker compose up --force-recreate` does: a new container, the old
 *   one's anonymous volumes attached to it again;
 * - down-up: as `docker compose down` then `up`: a new container with new anonymous volumes;
 *   the old ones are left behind, unused.
 */
export const REPLACEMENTS = ['recreate', 'force-recreate', 'down-up'] as const;
export type Replacement = (typeof REPLACEMENTS)[number];

export interface Endpoint {
  host: string;
  port: number;
}

export interface Stack {
  readonly services: readonly string[];
  /** The container that runs the service now (a replacement changes it). */
  containerId(service: string): string;
  /** Where a published container port answers now (it may change with every start). */
  endpoint(service: string, containerPort: number): Promise<Endpoint>;
  /** The image's stop signal, then SIGKILL after the grace period: `docker stop -t`. */
  stop(service: string, timeoutMs?: number): Promise<ContainerState>;
  start(service: string): Promise<void>;
  /** `docker restart`: the engine stops and starts it in one call. */
  restart(service: string): Promise<void>;
  kill(service: string, signal?: string): Promise<void>;
  /** Replaces the container; the two parts are timed apart (a stop's removal, a start's creation). */
  replace(service: string, how: Replacement): Promise<{ removedMs: number; createdMs: number }>;
  /** Removes the service's container and its anonymous volumes: the service is gone until `up`. */
  remove(service: string): Promise<void>;
  /** Creates and starts a new container for the service, as it is defined now (`docker compose up -d SERVICE`). */
  up(service: string): Promise<void>;
  /** Everything the service's current container printed, over all its starts. */
  logs(service: string): Promise<string>;
  /** The mounts of the service's current container, read from the engine: where its data can live. */
  mounts(service: string): Promise<MountFact[]>;
  inspect(service: string): Promise<ContainerState>;
}
