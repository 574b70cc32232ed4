// The harness's own containers run with a fixed test password: their ports must not be
// reachable from other machines. Every published port is bound to the one address the harness
// connects to, and the harness can connect there (a binding it cannot reach fails every drill).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { docker } from '../../src/docker/engine.ts';
import { publishAddress } from '../../src/docker/host-only-container.ts';
import { preflight, scenarioKit } from '../../src/scenario-kit.ts';
import { mysql } from '../../src/services/mysql/driver.ts';
import { postgres } from '../../src/services/postgres/driver.ts';
import { idleContainer } from '../../src/targets/toolbox.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
beforeAll(() => preflight(['postgres', 'mysql', 'toolbox']));
afterAll(() => scope.dispose());

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5_000 });
    const settle = (connected: boolean) => {
      socket.destroy();
      resolve(connected);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

async function publishedAddresses(id: string): Promise<string[]> {
  const info = await docker().getContainer(id).inspect();
  return Object.values(info.NetworkSettings.Ports ?? {}).flatMap((bindings) => (bindings ?? []).map((b) => b.HostIp));
}

describe('published ports listen on this machine only', () => {
  test.for([
    ['postgres', () => postgres.container(config.images.postgres.reference, undefined), 5432],
    ['mysql', () => mysql.container(config.images.mysql.reference, undefined), 3306],
    ['toolbox', () => idleContainer(config.images.toolbox.reference).withExposedPorts(8080), undefined],
  ] as const)('%s', async ([name, definition, listeningPort]) => {
    const started = await definition()
      .withLabels(scope.labels(`published-ports-${name}`))
      .start();
    scope.trackContainer(started.getId());
    const addresses = await publishedAddresses(started.getId());
    expect(addresses.length).toBeGreaterThan(0);
    const address = await publishAddress();
    expect(address).toBeDefined();
    expect(new Set(addresses)).toEqual(new Set([address]));
    expect(addresses).not.toContain('0.0.0.0');
    if (listeningPort !== undefined) {
      // The server needs a few seconds to listen; a binding the harness cannot reach never connects.
      const reachable = () => connects(started.getHost(), started.getMappedPort(listeningPort));
      await vi.waitFor(async () => expect(await reachable()).toBe(true), { timeout: 60_000, interval: 500 });
    }
  });
});
