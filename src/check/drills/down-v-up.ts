// `down -v` then `up`: the control. It must lose what the volumes the project manages hold (named,
// anonymous and the image's own); bind mounts and external volumes are not its business, so
// nothing is judged there. A check that saw that data kept would be blind to its own loss.
import type { ComposeStorageKind, Fate } from '../../compose/storage-map.ts';
import { type CheckDrill, composeLifecycle } from './check-drill.ts';

/** The volumes a project manages: what `down -v` removes. */
const PROJECT_MANAGED: readonly ComposeStorageKind[] = ['named-volume', 'anonymous-volume', 'image-volume'];

export const downVolumesUp: CheckDrill = {
  ...composeLifecycle('down -v + up', 'docker compose down -v, then docker compose up -d --wait'),
  required: (storage): Fate | undefined => (PROJECT_MANAGED.includes(storage) ? 'lost' : undefined),
};
