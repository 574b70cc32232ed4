// The stack's three ways of replacing a container, told apart by what happens to an anonymous
// volume, and the file and command probes that see it: real containers, no mocks. Each probe
// must report the data it wrote as lost where the replacement loses it, or it proves nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareFingerprints } from '../data/fingerprint.ts';
import { deriveImage } from '../images/derived.ts';
import { CommandProbe } from '../probes/command-probe.ts';
import { FileProbe } from '../probes/file-probe.ts';
import type { Probe } from '../probes/probe.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';
import { HarnessStack, type ServiceDefinition } from './harness-stack.ts';
import type { Replacement } from './stack.ts';
import { idleContainer } from '../targets/toolbox.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
/** The toolbox image with a declared VOLUME, as most data images have. */
let withVolume = '';
beforeAll(async () => {
  await preflight(['toolbox']);
  withVolume = await deriveImage(scope, config.images.toolbox.reference, ['VOLUME /data'], 'stack-test-volume-image');
});
afterAll(() => scope.dispose());

/** Seeds through the probe, replaces the container, and says whether the probe's data survived. */
async function survivesReplacement(define: ServiceDefinition, probe: Probe, how: Replacement): Promise<{ survives: boolean; differences: string[] }> {
  const stack = await HarnessStack.start(scope, `stack-${how}`, { app: define });
  await probe.ready(stack);
  const before = await probe.seed(stack);
  await stack.replace('app', how);
  await probe.ready(stack);
  const comparison = compareFingerprints(before, await probe.fingerprint(stack));
  return { survives: comparison.identical, differences: comparison.differences };
}

describe('replacing a container: what happens to its anonymous volume', () => {
  const anonymousOnly: ServiceDefinition = () => idleContainer(withVolume);

  test.for([
    ['recreate', false],
    ['force-recreate', true],
    ['down-up', false],
  ] as const)('%s: the file in the anonymous volume survives: %s', async ([how, survives]) => {
    const result = await survivesReplacement(anonymousOnly, new FileProbe('app', ['/data']), how);
    expect(result.survives, result.differences.join('\n')).toBe(survives);
  });

  test('a named volume keeps the file through a recreate', async () => {
    const volume = await scope.createVolume('stack-named');
    const named: ServiceDefinition = () => idleContainer(withVolume).withBindMounts([{ source: volume, target: '/data' }]);
    expect((await survivesReplacement(named, new FileProbe('app', ['/data']), 'recreate')).survives).toBe(true);
  });
});

describe("a user's commands as the probe", () => {
  const commands = { seed: 'mkdir -p /data && echo "order 42: paid" > /data/orders.txt', fingerprint: 'cat /data/orders.txt' };

  test('the same output after a recreate on a named volume: survives', async () => {
    const volume = await scope.createVolume('stack-commands');
    const named: ServiceDefinition = () => idleContainer(withVolume).withBindMounts([{ source: volume, target: '/data' }]);
    expect((await survivesReplacement(named, new CommandProbe('app', commands), 'recreate')).survives).toBe(true);
  });

  test('data in the anonymous volume, recreated: the fingerprint command fails, reported lost', async () => {
    const result = await survivesReplacement(() => idleContainer(withVolume), new CommandProbe('app', commands), 'recreate');
    expect(result.survives).toBe(false);
    expect(result.differences.join('\n')).toMatch(/absent/);
  });
});
