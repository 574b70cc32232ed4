// A trial's storage for its server: placed where the cell says, and holding the image's own
// initialisation where the trial may start from a copy of it (probes/initialised-copy.ts), as the
// matrix, the kill drill and the stop modes all begin.
import { runConfig } from '../config.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { copyInitialised } from '../probes/initialised-copy.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { prepareStorage, type PlacementOptions, type StorageKind, type StoragePlacement } from '../storage/placement.ts';
import type { ImageDrillContext } from './drill.ts';

export interface TrialStorage {
  placement: StoragePlacement;
  /** The evidence's sentence about the initialised copy; undefined where the trial starts from nothing. */
  initialised: string | undefined;
}

export async function prepareTrialStorage(
  target: DatabaseTarget,
  storage: StorageKind,
  context: ImageDrillContext,
  trialScope: RunScope,
  options?: PlacementOptions,
): Promise<TrialStorage> {
  const image = context.image.reference;
  const placement = await prepareStorage(storage, await dataLayoutOf(image, target.dataPaths), trialScope, options);
  const images = { server: image, toolbox: runConfig().images.toolbox.reference };
  const initialised = await copyInitialised(target, images, placement, context.scope, trialScope);
  return { placement, initialised };
}
