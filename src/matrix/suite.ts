// The persistence matrix as vitest tests: one test per storage type and disruption, and the
// wrong-mount-path negative control. Every database target gets exactly the same procedure.
import { beforeAll, describe, expect, test } from 'vitest';
import { DISRUPTIONS, type MatrixDisruption, type Outcome } from '../report/model.ts';
import { assertVerdict, preflight, recordControl, recordResult, scenarioKit } from '../scenario-kit.ts';
import { STORAGE_KINDS, type StorageKind } from '../storage/placement.ts';
import type { DatabaseTarget } from '../targets/target.ts';
import { wrongMountPathControl } from './controls.ts';
import { runCell, type CellContext } from './run-cell.ts';

/** What each storage type promises, as the seed tutorial teaches it. */
export const STORAGE_PROMISES: Record<StorageKind, Record<MatrixDisruption, Outcome>> = {
  'named-volume': { restart: 'survives', recreate: 'survives' },
  'bind-mount': { restart: 'survives', recreate: 'survives' },
  'container-layer': { restart: 'survives', recreate: 'lost' },
  tmpfs: { restart: 'lost', recreate: 'lost' },
};

export function describePersistenceMatrix(scenario: string, target: DatabaseTarget): void {
  const context = (): CellContext => {
    const { config, scope, dataset } = scenarioKit();
    return { scope, dataset, trials: config.trials, image: config.images[target.image] };
  };

  beforeAll(() => preflight([target.image]));

  describe.each(STORAGE_KINDS)(`${target.displayName} with its data on %s`, (storage) => {
    test.for(DISRUPTIONS)('%s', async (disruption, { task }) => {
      const expected = STORAGE_PROMISES[storage][disruption];
      const result = await runCell({ scenario, target, storage, disruption, expected }, context());
      recordResult(task.meta, result);
      assertVerdict(result);
    });
  });

  describe('negative controls: a broken setup must be reported as lost', () => {
    test('a named volume mounted at the wrong path does not keep the data through a recreate', async ({ task }) => {
      const control = await wrongMountPathControl(scenario, target, context());
      recordControl(task.meta, control);
      expect(control.cell.observed, control.cell.evidence.join('\n')).toBe('lost');
      expect(control.cell.status).toBe('failed');
    });
  });
}
