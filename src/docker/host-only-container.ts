// Every container the harness starts publishes its ports on one address: the one the harness
// itself connects to. The databases run with a fixed test password; published on every interface,
// anyone on the network could log in.
//
// That address is testcontainers' resolved host, not always 127.0.0.1: where the harness runs in
// a container (/.dockerenv) it connects through the bridge gateway, and a remote engine is reached
// by its own name. Binding 127.0.0.1 there makes every port unreachable, which is exactly how a CI
// run once spent its 90 minutes waiting for servers that were up. testcontainers has no setting
// for the bind address, so the bindings are rewritten just before the container is created (its
// own hook for exactly this).
import { GenericContainer, getContainerRuntimeClient } from 'testcontainers';

export interface HostAddress {
  address: string;
  family: number;
}

/**
 * The address to publish on, given the addresses the harness's host name resolves to: IPv4 first
 * (what Docker publishes by default), `undefined` (every interface) only when nothing resolved.
 */
export function publishAddressAmong(hostIps: readonly HostAddress[]): string | undefined {
  return (hostIps.find((ip) => ip.family === 4) ?? hostIps[0])?.address;
}

/** The host this process connects to published ports at (testcontainers' resolved host). */
export async function connectHost(): Promise<string> {
  return (await getContainerRuntimeClient()).info.containerRuntime.host;
}

/** Where this process connects to published ports, and so where they are published. */
export async function publishAddress(): Promise<string | undefined> {
  const client = await getContainerRuntimeClient();
  return publishAddressAmong(client.info.containerRuntime.hostIps);
}

export class HostOnlyContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    const address = await publishAddress();
    if (address === undefined) return;
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as Array<{ HostIp?: string }>) binding.HostIp = address;
    }
  }
}
