// What storage each path of a Compose service lands on, and what each lifecycle command does to
// it. Pure: the inputs are `docker compose config` and `docker image inspect`, already read.
//
// The rules, from Docker and Compose themselves:
// - every VOLUME the image declares and nothing mounts at exactly that path gets an anonymous
//   volume, also below a mount at a parent path (the nested volume then holds that subtree);
// - a path belongs to the deepest mount that contains it; under none, to the container's layer;
// - `docker compose up --force-recreate` (and an `up` after a config or image change) carries the
//   old container's anonymous volumes over: those the new image still declares as VOLUME and
//   those the Compose file declares without a source (compose pkg/compose/create.go,
//   buildContainerMountOptions); `down` removes the containers, so the next `up` starts them on
//   new, empty anonymous volumes; `down -v` also removes the project's named volumes, never
//   external ones; a tmpfs is empty whenever its container starts; a bind mount is the host's;
// - after `down` every volume of the project is unused, and `docker volume prune` removes unused
//   volumes as the engine decides by the API version of the request: from API 1.42 (Engine 23)
//   only anonymous ones (`--all` the named ones too), below it every one, named and external
//   (moby's volume prune filters); `docker system prune --volumes` prunes as the plain one.
import { isWithin } from '../storage/paths.ts';

export type { ComposeStorageKind } from '../report/vocabulary.ts';
import type { ComposeStorageKind } from '../report/vocabulary.ts';

export { LIFECYCLE, type Lifecycle } from '../report/vocabulary.ts';
import { LIFECYCLE, type Lifecycle } from '../report/vocabulary.ts';
export type Fate = 'kept' | 'lost';

export interface StorageMount {
  target: string;
  kind: Exclude<ComposeStorageKind, 'writable-layer'>;
  /** The volume's name or the host folder; none for tmpfs and anonymous volumes. */
  source?: string;
  /** A bind source as the Compose file wrote it, when that was relative to the project. */
  writtenSource?: string;
  readOnly: boolean;
  /** A bind whose missing host folder is created at `up` (the short syntax); the long syntax's is refused instead. */
  createsHostPath?: boolean;
}

export interface Storage {
  kind: ComposeStorageKind;
  /** The mount's target; none for the writable layer. */
  target?: string;
  source?: string;
}

/** The Compose file's mounts plus an anonymous volume for every image VOLUME nothing mounts exactly. */
export function withImageVolumes(composeMounts: readonly StorageMount[], imageVolumes: readonly string[]): StorageMount[] {
  const mounted = new Set(composeMounts.map((mount) => normalise(mount.target)));
  const implicit = imageVolumes
    .filter((volume) => !mounted.has(normalise(volume)))
    .map((target): StorageMount => ({ target: normalise(target), kind: 'image-volume', readOnly: false }));
  return [...composeMounts, ...implicit];
}

export function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The deepest mount containing the path, or the writable layer. */
export function storageOf(path: string, mounts: readonly StorageMount[]): Storage {
  const containing = mounts.filter((mount) => isWithin(path, mount.target));
  const deepest = containing.sort((a, b) => b.target.length - a.target.length)[0];
  if (!deepest) return { kind: 'writable-layer' };
  return { kind: deepest.kind, target: deepest.target, ...(deepest.source !== undefined ? { source: deepest.source } : {}) };
}

export interface UpgradeFacts {
  /** The VOLUMEs the new image declares. */
  newImageVolumes: readonly string[];
}

/** What a plain `docker volume prune` removes: only anonymous volumes (API 1.42 and later), or every unused one (older engines). */
export type PruneScope = 'anonymous' | 'all';

/** The plain prune of an engine speaking this API version; the current behaviour where the version is not known. */
export function pruneScopeOf(apiVersion: string | undefined): PruneScope {
  const [major = 0, minor = 0] = (apiVersion ?? '').split('.').map(Number);
  if (apiVersion === undefined || Number.isNaN(major) || Number.isNaN(minor)) return 'anonymous';
  return major > 1 || (major === 1 && minor >= 42) ? 'anonymous' : 'all';
}

/** Whether a prune after `down` removes a volume with a name (the project's own or an external one). */
function prunedNamed(lifecycle: Lifecycle, prune: PruneScope): boolean {
  return lifecycle === 'down + volume prune --all' || (lifecycle === 'down + volume prune' && prune === 'all');
}

/** What one lifecycle command does to data on this storage. Upgrade: an `up` with the new image. */
export function fateOf(storage: Storage, lifecycle: Lifecycle, upgrade?: UpgradeFacts, prune: PruneScope = 'anonymous'): Fate {
  switch (storage.kind) {
    case 'bind-mount':
      return 'kept';
    case 'external-volume':
      return prunedNamed(lifecycle, prune) ? 'lost' : 'kept';
    case 'named-volume':
      return lifecycle === 'down -v + up' || prunedNamed(lifecycle, prune) ? 'lost' : 'kept';
    case 'tmpfs':
      return 'lost';
    case 'writable-layer':
      return lifecycle === 'restart' ? 'kept' : 'lost';
    case 'anonymous-volume':
      return lifecycle === 'restart' || lifecycle === 'up --force-recreate' || lifecycle === 'upgrade' ? 'kept' : 'lost';
    case 'image-volume': {
      if (lifecycle === 'restart' || lifecycle === 'up --force-recreate') return 'kept';
      if (lifecycle === 'upgrade') {
        const target = storage.target ?? '';
        return upgrade?.newImageVolumes.some((volume) => normalise(volume) === target) ? 'kept' : 'lost';
      }
      return 'lost';
    }
  }
}

/** The fate under every lifecycle command; 'upgrade' only when an upgrade is known. */
export function fatesOf(storage: Storage, upgrade?: UpgradeFacts, prune: PruneScope = 'anonymous'): Partial<Record<Lifecycle, Fate>> {
  const commands = LIFECYCLE.filter((command) => command !== 'upgrade' || upgrade !== undefined);
  return Object.fromEntries(commands.map((command) => [command, fateOf(storage, command, upgrade, prune)]));
}
