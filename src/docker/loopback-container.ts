// Every container the harness starts publishes its ports on 127.0.0.1 only. The databases run
// with a fixed test password: published on every interface, anyone on the network could log in.
// testcontainers has no setting for the host address, so the bindings are rewritten just before
// the container is created (its own hook for exactly this).
import { GenericContainer } from 'testcontainers';

export const PUBLISH_ADDRESS = '127.0.0.1';

export class LoopbackContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as Array<{ HostIp?: string }>) binding.HostIp = PUBLISH_ADDRESS;
    }
  }
}
