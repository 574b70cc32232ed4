// The persistence matrix as vitest tests: one test per storage type and disruption, and the
// wrong-mount-path negative control. Every database target gets exactly the same procedure.
import { beforeAll, describe, test } from 'vitest';
import { MATRIX_DISRUPTIONS } from '../report/model.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../scenario-kit.ts';
import { STORAGE_KINDS } from '../storage/placement.ts';
import type { ServiceTarget } from '../services/drivers.ts';
import type { HarnessConfig, ImageChoice } from '../config.ts';
import { ensureImage } from '../docker/engine.ts';
import { dataOutsideVolumeControl, wrongMountPathControl } from './matrix-controls.ts';
import { STORAGE_PROMISES } from './promises.ts';
import { runCell, type CellContext } from './run-cell.ts';

/** A newer image of the same service that lays its data out differently (postgres 18). */
export interface NewerLayout {
  variant: string;
  describe: string;
  image: (config: HarnessConfig) => ImageChoice;
}

/** Cells that show the storage lands where the newer image keeps its data, and only there. */
const NEWER_LAYOUT_CELLS = [
  ['named-volume', 'recreate'],
  ['bind-mount', 'recreate'],
  ['container-layer', 'restart'],
  ['container-layer', 'recreate'],
] as const;

function describeNewerLayout(scenario: string, target: ServiceTarget, layout: NewerLayout, context: () => CellContext): void {
  describe(`${target.displayName} ${layout.describe}`, () => {
    beforeAll(async () => {
      const image = layout.image(scenarioKit().config);
      await ensureImage(image.reference, image.source === 'local');
    });
    test.for(NEWER_LAYOUT_CELLS)('%s, %s', async ([storage, disruption], { task }) => {
      const base = context();
      const image = layout.image(scenarioKit().config);
      const expected = STORAGE_PROMISES[storage][disruption];
      const result = await runCell({ scenario, target, storage, disruption, expected, variant: layout.variant }, { ...base, image });
      recordResult(task.meta, result);
      assertVerdict(result);
    });
  });
}

export function describePersistenceMatrix(scenario: string, target: ServiceTarget, newerLayout?: NewerLayout): void {
  const context = (): CellContext => {
    const { config, scope, dataset } = scenarioKit();
    return { scope, dataset, trials: config.trials, image: config.images[target.image] };
  };

  beforeAll(() => preflight([target.image]));

  describe.each(STORAGE_KINDS)(`${target.displayName} with its data on %s`, (storage) => {
    test.for(MATRIX_DISRUPTIONS)('%s', async (disruption, { task }) => {
      const expected = STORAGE_PROMISES[storage][disruption];
      const result = await runCell({ scenario, target, storage, disruption, expected }, context());
      recordResult(task.meta, result);
      assertVerdict(result);
    });
  });

  if (newerLayout) describeNewerLayout(scenario, target, newerLayout, context);

  describe('negative controls: a broken setup must be reported as lost', () => {
    test('a named volume mounted at the wrong path does not keep the data through a recreate', async ({ task }) => {
      proveControl(task.meta, await wrongMountPathControl(scenario, target, context()));
    });

    test.for(['named-volume', 'bind-mount'] as const)(
      'an image whose own settings keep the data outside its VOLUME loses it on recreate (%s)',
      async (storage, { task }) => {
        proveControl(task.meta, await dataOutsideVolumeControl(scenario, target, storage, context()));
      },
    );
  });
}
