// The seed's "Sharing Volumes Between Containers": a producer appending to
// /data/messages.log, a consumer following it, and nginx serving the same named volume. Every
// line must reach both readers in order; a recreated producer continues the log; recreating
// all three leaves it intact; and the shell loops stop on TERM instead of being killed. With the
// consumer on a volume of its own, or a producer that truncates the log, the checks must fail.
import { beforeAll, describe, test } from 'vitest';
import { runSharedVolumeChecks, type SharedSetup } from '../src/checks/shared-volume.ts';
import { negativeControl } from '../src/drill/control.ts';
import type { CellResult } from '../src/report/model.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';

const SHARED: SharedSetup = {
  name: 'producer-consumer-web',
  title: 'producer, consumer and web server',
  consumerShares: true,
  expected: {
    'consumer saw every line, in order': 'visible',
    'web server served every line, in order': 'visible',
    'recreated producer appends after the last line': 'survives',
    'log intact after recreating all three': 'survives',
    'shell loops stop on TERM, not killed': 'visible',
  },
};

const context = () => {
  const { config, scope } = scenarioKit();
  return { scope, trials: config.trials, images: { toolbox: config.images.toolbox, nginx: config.images.nginx } };
};

beforeAll(() => preflight(['toolbox', 'nginx']));

describe('a volume shared by three containers', () => {
  test('every line reaches the consumer and the web server, through recreates', async ({ task }) => {
    const result = await runSharedVolumeChecks('shared', SHARED, context());
    recordResult(task.meta, result);
    assertVerdict(result);
  });

  test('negative control: a consumer on a volume of its own sees nothing', async ({ task }) => {
    const cell = await runSharedVolumeChecks(
      'shared',
      { ...SHARED, name: 'consumer-not-sharing', title: 'consumer on its own volume', consumerShares: false },
      { ...context(), trials: 1 },
    );
    const caughtWhen = (c: CellResult) => c.items?.find((i) => i.item === 'consumer saw every line, in order')?.observed === 'absent';
    const spec = { id: `${cell.id}/consumer-not-sharing`, title: 'consumer on a volume of its own', sabotage: 'the consumer mounts another volume at /data' };
    proveControl(task.meta, negativeControl(cell, { ...spec, observed: 'any', caughtWhen }));
  });

  test('negative control: a producer that truncates the log when it starts is reported', async ({ task }) => {
    const cell = await runSharedVolumeChecks(
      'shared',
      { ...SHARED, name: 'truncating-producer', title: 'producer truncating the log on start', producerTruncates: true },
      { ...context(), trials: 1 },
    );
    const lost = (item: string) => cell.items?.find((i) => i.item === item)?.observed === 'lost';
    const caughtWhen = () => lost('recreated producer appends after the last line') && lost('log intact after recreating all three');
    const spec = {
      id: `${cell.id}/truncating-producer`,
      title: 'producer truncating the log on start',
      sabotage: 'the producer empties messages.log and restarts its sequence at 1',
    };
    proveControl(task.meta, negativeControl(cell, { ...spec, observed: 'any', caughtWhen }));
  });
});
