// The engine operations every drill times, on a real container: what inspect reports of its
// mounts, a graceful stop that really lets the process exit on its own, the exit codes and logs
// it leaves, a start of the same container, and a scope that removes what it made and nothing else.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLabelled } from '../../test/images/contract-kit.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';
import { epochMs } from '../timing/clock.ts';
import { exitCodesSince, inspectContainer, readLogs, startExisting, stopGracefully } from './containers.ts';
import { docker } from './engine.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
const image = config.images.toolbox.reference;
beforeAll(() => preflight(['toolbox']));
afterAll(() => scope.dispose());

// PID 1 a shell that leaves on SIGTERM with code 0, saying so: a graceful stop must see that, not a kill.
const POLITE = ['sh', '-c', 'trap "echo leaving; exit 0" TERM; echo started; while :; do sleep 0.1; done'];

const volumeNames = async () => ((await docker().listVolumes()).Volumes ?? []).map((volume) => volume.Name);

describe('engine operations on a real container', () => {
  test('inspect names its volume and its tmpfs; a graceful stop lets it exit 0; the log and the exit code stay; it starts again', async () => {
    const volume = await scope.createVolume('containers-engine');
    const container = await startLabelled(scope, image, 'containers-engine', (c) =>
      c
        .withCommand(POLITE)
        .withBindMounts([{ source: volume, target: '/data' }])
        .withTmpFs({ '/scratch': 'rw' }),
    );
    const id = container.getId();
    const running = await inspectContainer(id);
    expect(running.running).toBe(true);
    expect(running.mounts).toEqual(
      expect.arrayContaining([
        { type: 'volume', source: volume, destination: '/data' },
        { type: 'tmpfs', source: 'tmpfs', destination: '/scratch' },
      ]),
    );

    const since = epochMs() - 1_000;
    const stopped = await stopGracefully(id, 10_000);
    expect(stopped).toMatchObject({ running: false, exitCode: 0 });
    expect(await readLogs(id)).toMatch(/started[\s\S]*leaving/);
    expect(await exitCodesSince(id, since)).toEqual([0]);

    await startExisting(id);
    expect((await inspectContainer(id)).running).toBe(true);
    // A process that ignores SIGTERM is killed at the timeout: not exit 0.
    const stubborn = await startLabelled(scope, image, 'containers-engine', (c) => c.withCommand(['sh', '-c', 'trap "" TERM; while :; do sleep 0.1; done']));
    expect((await stopGracefully(stubborn.getId(), 1_000)).exitCode).toBe(137);
  });

  test('a scope removes what it made, and leaves what it did not', async () => {
    const own = runScope.child();
    const made = await own.createVolume('containers-engine-own');
    const kept = await scope.createVolume('containers-engine-kept');
    expect(await volumeNames()).toEqual(expect.arrayContaining([made, kept]));
    await own.dispose();
    const after = await volumeNames();
    expect(after).not.toContain(made);
    expect(after).toContain(kept);
  });
});
