// The harness's own containers run with a fixed test password: their ports must not be
// reachable from other machines. Every published port is bound to 127.0.0.1 only.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker } from '../../src/docker/engine.ts';
import { PUBLISH_ADDRESS } from '../../src/docker/loopback-container.ts';
import { preflight, scenarioKit } from '../../src/scenario-kit.ts';
import { mysql } from '../../src/targets/mysql.ts';
import { postgres } from '../../src/targets/postgres.ts';
import { idleContainer } from '../../src/targets/toolbox.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
beforeAll(() => preflight(['postgres', 'mysql', 'toolbox']));
afterAll(() => scope.dispose());

async function publishedAddresses(id: string): Promise<string[]> {
  const info = await docker().getContainer(id).inspect();
  return Object.values(info.NetworkSettings.Ports ?? {}).flatMap((bindings) => (bindings ?? []).map((b) => b.HostIp));
}

describe('published ports listen on this machine only', () => {
  test.for([
    ['postgres', () => postgres.container(config.images.postgres.reference, undefined)],
    ['mysql', () => mysql.container(config.images.mysql.reference, undefined)],
    ['toolbox', () => idleContainer(config.images.toolbox.reference).withExposedPorts(8080)],
  ] as const)('%s', async ([name, definition]) => {
    const started = await definition()
      .withLabels(scope.labels(`published-ports-${name}`))
      .start();
    scope.trackContainer(started.getId());
    const addresses = await publishedAddresses(started.getId());
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses)).toEqual(new Set([PUBLISH_ADDRESS]));
  });
});
