// RabbitMQ through the seed's "disappearing data" lesson: durable queues holding persistent
// messages, on every storage type, through restart and recreate. The harness's containers pin
// their host name, as RabbitMQ's documentation asks: the node, rabbit@<host name>, keeps its data
// in mnesia/rabbit@<host name>. Two controls besides the matrix's: a container whose host name
// is Docker's default (its id) starts a new, empty node on the same volume after a recreate; and
// messages published without delivery mode 2 live in memory only, so a restart loses them.
import { describe, test } from 'vitest';
import { negativeControl } from '../src/drill/control.ts';
import { describePersistenceMatrix } from '../src/matrix/suite.ts';
import { cellId, runCell } from '../src/matrix/run-cell.ts';
import type { ControlResult } from '../src/report/model.ts';
import { proveControl, scenarioKit } from '../src/scenario-kit.ts';
import { rabbitmq, rabbitmqTransientMessages, rabbitmqUnpinnedHostname } from '../src/services/rabbitmq/driver.ts';
import type { DatabaseTarget } from '../src/stack/database-target.ts';

const SCENARIO = 'rabbitmq';

describePersistenceMatrix(SCENARIO, rabbitmq);

/** A matrix cell on a broken RabbitMQ setup, which must be reported as lost. */
async function brokenSetup(
  target: DatabaseTarget,
  place: { storage: 'named-volume'; disruption: 'restart' | 'recreate' },
  control: { suffix: string; title: string; sabotage: string },
): Promise<ControlResult> {
  const { config, scope, dataset } = scenarioKit();
  const spec = { scenario: SCENARIO, target, ...place, expected: 'survives' } as const;
  const cell = await runCell(spec, { scope, dataset, trials: 1, image: config.images.rabbitmq });
  return negativeControl(cell, { id: `${cellId(spec)}/${control.suffix}`, title: control.title, sabotage: control.sabotage });
}

describe('negative controls: the traps of a broker that looks durable', () => {
  test('a recreate with a new host name starts a new, empty node on the same named volume', async ({ task }) => {
    const control = await brokenSetup(
      rabbitmqUnpinnedHostname,
      { storage: 'named-volume', disruption: 'recreate' },
      {
        suffix: 'hostname-not-pinned',
        title: 'RabbitMQ: host name not pinned, named volume, recreate',
        sabotage:
          "the containers keep Docker's default host name (their id), as a Compose service without `hostname:` does: the new container is node rabbit@<new id>",
      },
    );
    proveControl(task.meta, control);
  });

  test('messages published without delivery mode 2 do not survive a restart, even on a durable queue on a named volume', async ({ task }) => {
    const control = await brokenSetup(
      rabbitmqTransientMessages,
      { storage: 'named-volume', disruption: 'restart' },
      {
        suffix: 'transient-messages',
        title: 'RabbitMQ: transient messages on a durable queue, named volume, restart',
        sabotage: 'every message is published with persistent: false (delivery mode 1): the broker keeps it in memory',
      },
    );
    proveControl(task.meta, control);
  });
});
