// What the harness asks of alpine:3.20 (and so of the toolbox stand-in): a shell with the
// tools the seed's backup commands use, and a default command, so `docker run IMAGE` works.
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';

const { config, scope: runScope } = scenarioKit();
const image = config.images.toolbox.reference;
const scope = runScope.child();
beforeAll(() => preflight(['toolbox']));
afterAll(() => scope.dispose());

async function startSleeping() {
  const container = await new HostOnlyContainer(image)
    .withCommand(['sleep', '120'])
    .withWaitStrategy(new ContainerRunning())
    .withLabels(scope.labels('toolbox-contract'))
    .start();
  scope.trackContainer(container.getId());
  return container;
}

describe(`toolbox image contract (${image})`, () => {
  test('sh with tar, gzip, date, tail, cp and wget', async () => {
    const container = await startSleeping();
    const script =
      'for t in sh tar gzip date tail cp wget; do command -v $t >/dev/null || echo "missing $t"; done; ' +
      'mkdir -p /d && echo hi > /d/f && tar czf /t.tgz -C / d && rm -r /d && tar xzf /t.tgz -C / && cat /d/f';
    const result = await container.exec(['sh', '-c', script]);
    expect(result.exitCode).toBe(0);
    expect(result.output.trim()).toBe('hi');
  });

  test('the tools and options the backup drills use, in their busybox-compatible spellings', async () => {
    const container = await startSleeping();
    const script = [
      'mkdir -p /data/sub && echo hi > /data/sub/f && chown -R 33:33 /data && chmod 640 /data/sub/f',
      'tar czvf /t.tgz /data >/dev/null 2>&1',
      'mkdir /r && cd /r && tar --strip-components=1 -xzf /t.tgz && cd /',
      "find /r -mindepth 1 -type f -exec stat -c 'f %u:%g %a %n' {} +",
      'cd /r && find . -type f -exec sha256sum {} + && cd /',
      'mkdir /c && cp -a /r/. /c/ && stat -c "%u:%g %a" /c/sub/f && du -sk /c | cut -f2',
      'echo aGk= | base64 -d; echo; sleep 0.02 && echo slept',
    ].join(' && ');
    const result = await container.exec(['sh', '-c', script]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output.trim().split('\n')).toEqual([
      'f 33:33 640 /r/sub/f',
      '98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  ./sub/f',
      '33:33 640',
      '/c',
      'hi',
      'slept',
    ]);
  });

  test('has a default command', async () => {
    const container = await new HostOnlyContainer(image)
      .withWaitStrategy(new ContainerRunning())
      .withLabels(scope.labels('toolbox-contract'))
      .start()
      .catch((error: unknown) => {
        throw new Error(`docker run ${image} without a command failed: ${String(error)}`);
      });
    scope.trackContainer(container.getId());
  });
});
