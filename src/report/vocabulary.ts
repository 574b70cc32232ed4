// Words the report's schema is written in that the products also act on: defined here, where the
// schema reads them, so that the report never needs to ask a product for its own vocabulary.

/** What `persist check` does to a copy of the project, in this order (check/drills/all.ts says why). */
export const CHECK_DISRUPTIONS = ['restart', 'kill', 'up --force-recreate', 'down + up', 'backup-restore', 'power-cut', 'down -v + up', 'upgrade'] as const;
export type CheckDisruption = (typeof CHECK_DISRUPTIONS)[number];

/** Where a path in a Compose service's container lands (compose/storage-map.ts decides which). */
export const COMPOSE_STORAGE_KINDS = ['named-volume', 'external-volume', 'bind-mount', 'tmpfs', 'anonymous-volume', 'image-volume', 'writable-layer'] as const;
export type ComposeStorageKind = (typeof COMPOSE_STORAGE_KINDS)[number];

/** The lifecycle commands the audit predicts for (compose/storage-map.ts says what each does). */
export const LIFECYCLE = [
  'restart',
  'up --force-recreate',
  'down + up',
  'down -v + up',
  'down + volume prune',
  'down + volume prune --all',
  'upgrade',
] as const;
export type Lifecycle = (typeof LIFECYCLE)[number];

/** What the persistence matrix does to a container between writing and reading its data. */
export const MATRIX_DISRUPTIONS = ['restart', 'recreate'] as const;
export type MatrixDisruption = (typeof MATRIX_DISRUPTIONS)[number];

/** How the stop-mode matrix stops a container before starting it again; the last is its control. */
export const STOP_MODES = ['graceful', 'kill', 'restart', 'signal-not-forwarded'] as const;
