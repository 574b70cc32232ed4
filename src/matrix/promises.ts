// What each storage type promises through the matrix's disruptions, read from the one table of
// what each storage keeps through each lifecycle command (compose/storage-map.ts), which the
// audit's predictions use too: the matrix's restart is Compose's restart, and its recreate (the
// seed's `docker rm` then `docker run` with the same mounts) leaves a new container on the same
// storage, as `down` + `up` does. Pure.
import { fateOf, type ComposeStorageKind, type Lifecycle } from '../compose/storage-map.ts';
import { MATRIX_DISRUPTIONS, type MatrixDisruption, type Outcome } from '../report/model.ts';
import { STORAGE_KINDS, type StorageKind } from '../storage/placement.ts';

/** The matrix's storage types in the audit's words (the container layer is Docker's writable layer). */
const AS_COMPOSE: Record<StorageKind, ComposeStorageKind> = {
  'named-volume': 'named-volume',
  'bind-mount': 'bind-mount',
  tmpfs: 'tmpfs',
  'container-layer': 'writable-layer',
};

const AS_LIFECYCLE: Record<MatrixDisruption, Lifecycle> = { restart: 'restart', recreate: 'down + up' };

export const STORAGE_PROMISES = Object.fromEntries(
  STORAGE_KINDS.map((storage) => [
    storage,
    Object.fromEntries(
      MATRIX_DISRUPTIONS.map((disruption) => [disruption, fateOf({ kind: AS_COMPOSE[storage] }, AS_LIFECYCLE[disruption]) === 'kept' ? 'survives' : 'lost']),
    ),
  ]),
) as Record<StorageKind, Record<MatrixDisruption, Outcome>>;
