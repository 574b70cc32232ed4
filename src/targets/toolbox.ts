// The toolbox image (alpine, or its stand-in) as a plain application container: a shell loop
// that traps TERM, so `docker stop` ends it at once instead of waiting 10 s to kill it.
import { type GenericContainer } from 'testcontainers';
import { HostOnlyContainer } from '../docker/host-only-container.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';

export const IDLE_LOOP = 'trap "exit 0" TERM INT; while true; do sleep 1 & wait $!; done';

export function idleContainer(image: string): GenericContainer {
  return new HostOnlyContainer(image).withCommand(['sh', '-c', IDLE_LOOP]).withWaitStrategy(new ContainerRunning());
}
