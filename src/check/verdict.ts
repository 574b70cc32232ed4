// The verdict of `persist check` for one service × data path × disruption, from three outcomes
// kept apart: what the user needs (required), what the audit said would happen (predicted) and
// what the copy showed (observed). The status compares observed with required: a stack that
// loses data fails. Observed against predicted is the harness's own honesty: where they differ,
// its model of Docker and Compose (or the engine) did not behave as documented, a surprise.
import type { ComposeStorageKind, Fate } from '../compose/storage-map.ts';
import type { CheckDisruption } from './disruptions.ts';
import type { CheckVerdict } from '../report/check-exit-code.ts';

/** unavailable: the service did not come back (exited, never got ready, refused its data). */
export type Observed = Fate | 'unavailable';

/** The volumes a project manages: what `down -v` removes, so what its control must see lost. */
const PROJECT_MANAGED: readonly ComposeStorageKind[] = ['named-volume', 'anonymous-volume', 'image-volume'];

/**
 * What the user needs: data in a data path survives every disruption, unless x-persist marks the
 * path ephemeral. `down -v` is the control: data in the volumes the project manages must be gone
 * (bind mounts and external volumes are not its business: undefined, nothing to judge).
 */
export function requiredFate(lifecycle: CheckDisruption, storage: ComposeStorageKind, ephemeral: boolean): Fate | undefined {
  if (lifecycle === 'down -v + up') return PROJECT_MANAGED.includes(storage) ? 'lost' : undefined;
  return ephemeral ? undefined : 'kept';
}

export function judgeCheckCell(required: Fate | undefined, predicted: Fate | undefined, observed: Observed): CheckVerdict {
  const status = observed === 'unavailable' || (required !== undefined && observed !== required) ? 'failed' : 'passed';
  const surprise = observed !== 'unavailable' && predicted !== undefined && observed !== predicted;
  return { status, surprise };
}
