import { describe, expect, test } from 'vitest';
import { unescapeMountPath } from './loop-devices.ts';
import { powerCutUnsupported } from './power-cut-support.ts';

describe('whether power cuts can run here', () => {
  const local = { operatingSystem: 'Debian GNU/Linux 12 (bookworm)' };

  test('a remote engine: one sentence, the address itself not printed', async () => {
    const why = await powerCutUnsupported(local, { DOCKER_HOST: 'ssh://deploy@build-7.example:22' });
    expect(why).toMatch(/remote \(DOCKER_HOST is a ssh:\/\/ address\)/);
    expect(why).not.toContain('deploy');
  });

  test("Docker Desktop's virtual machine", async () => {
    expect(await powerCutUnsupported({ operatingSystem: 'Docker Desktop' }, {})).toMatch(/Docker Desktop/);
  });

  test('a local socket is the engine on this host', async () => {
    const why = await powerCutUnsupported(local, { DOCKER_HOST: 'unix:///var/run/docker.sock' });
    expect(why ?? '').not.toMatch(/remote/);
  });
});

test("mountinfo's escapes are undone: a folder with a space is found under its real name", () => {
  expect(unescapeMountPath('/tmp/persistence-harness/a\\040b')).toBe('/tmp/persistence-harness/a b');
});
