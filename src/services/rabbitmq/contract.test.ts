// The official rabbitmq image's contract, checked against the selected image (the stand-in with
// PERSIST_IMAGES=local): a scenario may rely on exactly these promises and no others.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mappedPort, readLogs, stopGracefully } from '../../docker/containers.ts';
import { docker } from '../../docker/engine.ts';
import { standardDataset } from '../../data/dataset.ts';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { PINNED_HOSTNAME, rabbitmq } from './driver.ts';
import { shutdownLoggedClean } from '../../targets/shutdown-evidence.ts';
import { waitUntilReady } from '../../targets/wait-ready.ts';
import { startLabelled, type Configure } from '../../../test/images/contract-kit.ts';

const { config, scope: runScope } = scenarioKit();
const image = config.images.rabbitmq.reference;
const scope = runScope.child();
beforeAll(() => preflight(['rabbitmq']));
afterAll(() => scope.dispose());

const USER = { RABBITMQ_DEFAULT_USER: 'contract', RABBITMQ_DEFAULT_PASS: 'contract-secret' };
const LOGIN = { user: 'contract', password: 'contract-secret', database: undefined };
const start = (hostname: string, configure: Configure = (c) => c) =>
  startLabelled(scope, image, 'rabbitmq-contract', (c) => configure(c.withExposedPorts(5672).withHostname(hostname).withEnvironment(USER)));

async function connect(container: { getId(): string; getHost(): string }) {
  const id = container.getId();
  return waitUntilReady(rabbitmq, id, container.getHost(), await mappedPort(id, 5672), undefined, LOGIN);
}

describe(`rabbitmq image contract (${image})`, () => {
  test('image metadata: VOLUME /var/lib/rabbitmq (its HOME and data dir), the AMQP and management ports, rabbitmq-server by default', async () => {
    const info = await docker().getImage(image).inspect();
    expect(Object.keys(info.Config.Volumes ?? {})).toEqual(['/var/lib/rabbitmq']);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['RABBITMQ_DATA_DIR=/var/lib/rabbitmq', 'HOME=/var/lib/rabbitmq']));
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(expect.arrayContaining(['5672/tcp', '15672/tcp']));
    expect(info.Config.Cmd).toEqual(['rabbitmq-server']);
  });

  test('the node is rabbit@<host name>, its data in mnesia/rabbit@<host name>: a new host name is a new, empty node on the same volume', async () => {
    const volume = await scope.createVolume('rabbitmq-contract-data');
    const onVolume: Configure = (c) => c.withBindMounts([{ source: volume, target: '/var/lib/rabbitmq' }]);
    const first = await start(PINNED_HOSTNAME, onVolume);
    // RABBITMQ_DEFAULT_USER/PASS are the login; the server runs as uid 999, PID 1 hears the stop signal.
    const writer = await connect(first);
    await writer.createLedger();
    await writer.writeLedger(42);
    await writer.close();
    const pid1 = await first.exec(['sh', '-c', 'cat /proc/1/comm; stat -c %u /proc/1; ls /var/lib/rabbitmq/mnesia']);
    expect(pid1.output.trim().split('\n')).toEqual(expect.arrayContaining(['rabbitmq-server', '999', `rabbit@${PINNED_HOSTNAME}`]));
    const stopped = await stopGracefully(first.getId());
    expect(stopped.exitCode).toBe(0);
    const logs = await readLogs(first.getId());
    expect(shutdownLoggedClean(rabbitmq, logs)).toBe(true);
    expect([...logs.matchAll(rabbitmq.dataDirectoryInLog as RegExp)].at(-1)?.[1]).toBe(`/var/lib/rabbitmq/mnesia/rabbit@${PINNED_HOSTNAME}`);

    // The same host name: the same node, its durable queue and persistent message back.
    const second = await start(PINNED_HOSTNAME, onVolume);
    const reader = await connect(second);
    expect(await reader.ledgerIds()).toEqual([42]);
    await reader.close();
    await stopGracefully(second.getId());

    // Another host name on the same volume: a new node, without the queue; the old node's folder is still there.
    const third = await start('another-host', onVolume);
    const stranger = await connect(third);
    expect(await stranger.ledgerIds()).toEqual([]);
    await stranger.close();
    const nodes = await third.exec(['ls', '/var/lib/rabbitmq/mnesia']);
    expect(nodes.output).toContain(`rabbit@${PINNED_HOSTNAME}`);
    expect(nodes.output).toContain('rabbit@another-host');
  });

  test('what the driver wrote is on disk when it returns: a SIGKILL right after loses no queue and no message', async () => {
    // The broker confirms a new queue before its metadata store has written it out; the driver
    // waits for that, so a kill at once (as the check's kill cell does) finds every queue back.
    const volume = await scope.createVolume('rabbitmq-contract-kill');
    const onVolume: Configure = (c) => c.withBindMounts([{ source: volume, target: '/var/lib/rabbitmq' }]);
    const dataset = standardDataset(200);
    const tables = dataset.tables.map((table) => table.name);
    const first = await start(PINNED_HOSTNAME, onVolume);
    const writer = await connect(first);
    await writer.write(dataset);
    await writer.createLedger();
    await writer.writeLedger(7);
    const written = await writer.fingerprint(tables);
    await docker().getContainer(first.getId()).kill({ signal: 'SIGKILL' });
    await writer.close();
    await docker().getContainer(first.getId()).start();
    const reader = await connect(first);
    expect(await reader.fingerprint(tables)).toEqual(written);
    expect(await reader.ledgerIds()).toEqual([7]);
    await reader.close();
  });
});
