// The copy of an initialised data directory that trials start from: a faithful copy passes its
// check, into a volume or a host folder; a copy that differs (an owner changed, a file too many)
// is a harness error, or the check would prove nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runOneShot } from '../docker/one-shot.ts';
import { HarnessError } from '../errors.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';
import { copyVerified } from './initialised-copy.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
const toolbox = config.images.toolbox.reference;
let source = '';

/** Runs a script with the volume or folder at /data. */
async function onData(target: string, script: string): Promise<void> {
  const run = await runOneShot(scope, { image: toolbox, script, binds: [`${target}:/data`], purpose: 'initialised-copy-test' });
  expect(run.exitCode, run.logs).toBe(0);
}

beforeAll(async () => {
  await preflight(['toolbox']);
  source = await scope.createVolume('copy-source');
  // A data directory in miniature: a private top folder owned by a service user, files, a link.
  await onData(
    source,
    'mkdir -p /data/base/1 && echo 16 > /data/PG_VERSION && echo x > /data/base/1/t && ln -s base /data/link && chown -R 999:999 /data && chmod 700 /data',
  );
});
afterAll(() => scope.dispose());

describe('copyVerified', () => {
  test.for(['volume', 'host folder'])('a faithful copy into a %s passes, with the owner and mode of its top folder', async (kind) => {
    const destination = kind === 'volume' ? await scope.createVolume('copy-destination') : await scope.createHostFolder('copy-destination');
    await copyVerified(scope, toolbox, source, destination);
    await onData(destination, 'test "$(stat -c %u:%a /data)" = 999:700 && test -L /data/link && test "$(cat /data/base/1/t)" = x');
  });

  test('a copy that differs from its source is refused', async () => {
    const destination = await scope.createVolume('copy-destination-extra');
    await onData(destination, 'echo stray > /data/left-over');
    await expect(copyVerified(scope, toolbox, source, destination)).rejects.toThrow(HarnessError);
    await expect(copyVerified(scope, toolbox, source, destination)).rejects.toThrow(/the copy differs from the initialised volume/);
  });
});
