// What the harness asks of alpine:3.20 (and so of the toolbox stand-in): a shell with the
// tools the seed's backup commands use, and a default command, so `docker run IMAGE` works.
import { GenericContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { preflight, scenarioKit } from '../../src/scenario-kit.ts';
import { ContainerRunning } from '../../src/targets/running-wait-strategy.ts';

const { config, scope: runScope } = scenarioKit();
const image = config.images.toolbox.reference;
const scope = runScope.child();
beforeAll(() => preflight(['toolbox']));
afterAll(() => scope.dispose());

describe(`toolbox image contract (${image})`, () => {
  test('sh with tar, gzip, date, tail, cp and wget', async () => {
    const container = await new GenericContainer(image)
      .withCommand(['sleep', '120'])
      .withWaitStrategy(new ContainerRunning())
      .withLabels(scope.labels('toolbox-contract'))
      .start();
    scope.trackContainer(container.getId());
    const script = 'for t in sh tar gzip date tail cp wget; do command -v $t >/dev/null || echo "missing $t"; done; '
      + 'mkdir -p /d && echo hi > /d/f && tar czf /t.tgz -C / d && rm -r /d && tar xzf /t.tgz -C / && cat /d/f';
    const result = await container.exec(['sh', '-c', script]);
    expect(result.exitCode).toBe(0);
    expect(result.output.trim()).toBe('hi');
  });

  test('has a default command', async () => {
    const container = await new GenericContainer(image)
      .withWaitStrategy(new ContainerRunning())
      .withLabels(scope.labels('toolbox-contract'))
      .start()
      .catch((error: unknown) => {
        throw new Error(`docker run ${image} without a command failed: ${String(error)}`);
      });
    scope.trackContainer(container.getId());
  });
});
