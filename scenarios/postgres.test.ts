// The seed's "disappearing data" lesson for PostgreSQL, proven on every storage type.
// For each cell: start PostgreSQL with its data directory on the storage, write the seed's
// employees and 10,000 generated readings, fingerprint them, stop the container gracefully,
// bring it back (the same container, or a new one on the same mount) and fingerprint again.
import { beforeAll, describe, expect, test } from 'vitest';
import { wrongMountPathControl } from '../src/matrix/controls.ts';
import { runCell } from '../src/matrix/run-cell.ts';
import { DISRUPTIONS, type Disruption, type Outcome } from '../src/report/model.ts';
import { assertVerdict, preflight, recordControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';
import { STORAGE_KINDS, type StorageKind } from '../src/storage/placement.ts';
import { postgres } from '../src/targets/postgres.ts';

const SCENARIO = 'postgres';

/** What each storage type promises: the seed's table, as a contract. */
const EXPECTED: Record<StorageKind, Record<Disruption, Outcome>> = {
  'named-volume': { restart: 'survives', recreate: 'survives' },
  'bind-mount': { restart: 'survives', recreate: 'survives' },
  'container-layer': { restart: 'survives', recreate: 'lost' },
  tmpfs: { restart: 'lost', recreate: 'lost' },
};

function cellContext() {
  const { config, scope, dataset } = scenarioKit();
  return { scope, dataset, trials: config.trials, image: config.images.postgres };
}

beforeAll(() => preflight(['postgres']));

describe.each(STORAGE_KINDS)('PostgreSQL with its data on %s', (storage) => {
  test.for(DISRUPTIONS)('%s', async (disruption, { task }) => {
    const expected = EXPECTED[storage][disruption];
    const result = await runCell({ scenario: SCENARIO, target: postgres, storage, disruption, expected }, cellContext());
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative controls: a broken setup must be reported as lost', () => {
  test('a named volume mounted at the wrong path does not keep the data through a recreate', async ({ task }) => {
    const control = await wrongMountPathControl(SCENARIO, postgres, cellContext());
    recordControl(task.meta, control);
    expect(control.cell.observed, control.cell.evidence.join('\n')).toBe('lost');
    expect(control.cell.status).toBe('failed');
  });
});
