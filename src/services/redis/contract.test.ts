// The official redis image's contract, checked against the selected image (the stand-in with
// PERSIST_IMAGES=local): a scenario may rely on exactly these promises and no others.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mappedPort, readLogs, stopGracefully } from '../../docker/containers.ts';
import { docker } from '../../docker/engine.ts';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { redis } from './driver.ts';
import { shutdownLoggedClean } from '../../targets/shutdown-evidence.ts';
import { waitUntilReady } from '../../targets/wait-ready.ts';
import { startLabelled, type Configure } from '../../../test/images/contract-kit.ts';

const { config, scope: runScope } = scenarioKit();
const image = config.images.redis.reference;
const scope = runScope.child();
beforeAll(() => preflight(['redis']));
afterAll(() => scope.dispose());

const start = (args: string[], configure: Configure = (c) => c) =>
  startLabelled(scope, image, 'redis-contract', (c) => configure(c.withExposedPorts(6379).withCommand(args)));

async function connect(container: { getId(): string; getHost(): string }) {
  const id = container.getId();
  return waitUntilReady(redis, id, container.getHost(), await mappedPort(id, 6379));
}

describe(`redis image contract (${image})`, () => {
  test('image metadata: VOLUME /data, working directory /data, port, redis-server by default', async () => {
    const info = await docker().getImage(image).inspect();
    expect(Object.keys(info.Config.Volumes ?? {})).toEqual(['/data']);
    expect(info.Config.WorkingDir).toBe('/data');
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toContain('6379/tcp');
    expect(info.Config.Cmd).toEqual(['redis-server']);
  });

  test('settings as arguments; reachable through the published port without a password', async () => {
    const container = await start(['--appendonly', 'yes', '--maxmemory', '64mb']);
    const connection = await connect(container);
    expect(await connection.dataDirectory()).toBe('/data');
    await connection.close();
    const settings = await container.exec(['redis-cli', 'CONFIG', 'GET', 'appendonly']);
    expect(settings.output.trim().split('\n')).toEqual(['appendonly', 'yes']);
  });

  test('redis-server is PID 1 as uid 999, writes into /data, stops cleanly, and a new container reads the same files', async () => {
    const volume = await scope.createVolume('redis-contract-data');
    const onVolume: Configure = (c) => c.withBindMounts([{ source: volume, target: '/data' }]);
    const first = await start(['--appendonly', 'yes'], onVolume);
    const pid1 = await first.exec(['sh', '-c', 'cat /proc/1/comm; stat -c %u /proc/1']);
    expect(pid1.output.trim().split('\n')).toEqual(['redis-server', '999']);
    const writer = await connect(first);
    await writer.writeLedger(42);
    await writer.close();
    const files = await first.exec(['sh', '-c', 'find /data -type f ! -user 999 | wc -l; ls /data/appendonlydir | wc -l']);
    expect(files.output.trim().split('\n')).toEqual(['0', expect.not.stringMatching(/^0$/)]);

    const stopped = await stopGracefully(first.getId());
    expect(stopped.exitCode).toBe(0);
    expect(shutdownLoggedClean(redis, await readLogs(first.getId()))).toBe(true);

    const second = await start(['--appendonly', 'yes'], onVolume);
    const reader = await connect(second);
    expect(await reader.ledgerIds()).toEqual([42]);
    await reader.close();
  });
});
