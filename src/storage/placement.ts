// How each storage type holds a service's data directory. A placement also checks, from the
// running container's inspect data, that the engine really mounted what the cell claims:
// a matrix cell that silently tested the wrong storage would prove nothing.
import type { GenericContainer } from 'testcontainers';
import type { ContainerState, MountFact } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import type { DataLayout } from './data-layout.ts';
import { isWithin } from './paths.ts';

export const STORAGE_KINDS = ['named-volume', 'bind-mount', 'tmpfs', 'container-layer'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export interface StoragePlacement {
  kind: StorageKind;
  /**
   * The data directory the server is told to use: only the container-layer placement moves it;
   * on mounted storage the image keeps its data where it is configured to.
   */
  serverDataDir: string | undefined;
  /** Where the data is expected: the mount, or the moved directory in the writable layer. */
  dataPath: string;
  /** Where the storage is mounted: the image's data mount unless a negative control misplaces it. */
  mountPath: string | undefined;
  /** A volume name or host folder, for the evidence. */
  source: string | undefined;
  applyTo(container: GenericContainer): GenericContainer;
  /** A sentence for the evidence. */
  description: string;
  /** Undefined when the container's mounts are as claimed; otherwise what is wrong. */
  problemWith(state: ContainerState): string | undefined;
}

export interface PlacementOptions {
  /** Mount somewhere other than the data directory: the "wrong mount path" negative control. */
  mountPath?: string;
}

const TMPFS_OPTIONS = 'rw,size=1g';

export async function prepareStorage(kind: StorageKind, layout: DataLayout, scope: RunScope, options: PlacementOptions = {}): Promise<StoragePlacement> {
  const mountPath = options.mountPath ?? layout.dataMount;
  const mounted = { serverDataDir: undefined, dataPath: layout.dataMount, mountPath };
  const where = mountPath === layout.dataMount ? ` (${layout.dataMountReason})` : '';
  switch (kind) {
    case 'named-volume': {
      const volume = await scope.createVolume('data');
      return {
        kind,
        ...mounted,
        source: volume,
        applyTo: (c) => c.withBindMounts([{ source: volume, target: mountPath, mode: 'rw' }]),
        description: `named volume ${volume} mounted at ${mountPath}${where}`,
        problemWith: (state) => expectMount(state.mounts, 'volume', volume, mountPath),
      };
    }
    case 'bind-mount': {
      const folder = await scope.createHostFolder('bind-data');
      return {
        kind,
        ...mounted,
        source: folder,
        applyTo: (c) => c.withBindMounts([{ source: folder, target: mountPath, mode: 'rw' }]),
        description: `host folder ${folder} bind-mounted at ${mountPath}${where}`,
        problemWith: (state) => expectMount(state.mounts, 'bind', folder, mountPath),
      };
    }
    case 'tmpfs':
      return {
        kind,
        ...mounted,
        source: undefined,
        applyTo: (c) => c.withTmpFs({ [mountPath]: TMPFS_OPTIONS }),
        description: `tmpfs (${TMPFS_OPTIONS}) at ${mountPath}${where}`,
        problemWith: (state) => expectMount(state.mounts, 'tmpfs', undefined, mountPath),
      };
    case 'container-layer': {
      const dataDir = layout.writableLayerDir;
      return {
        kind,
        serverDataDir: dataDir,
        dataPath: dataDir,
        mountPath: undefined,
        source: undefined,
        applyTo: (c) => c,
        description: `no mount: the server told to keep its data in ${dataDir}, outside every VOLUME the image declares (${layout.declaredVolumes.join(', ') || 'none'}), so in the container's writable layer`,
        problemWith: (state) => {
          const covering = state.mounts.find((m) => isWithin(dataDir, m.destination));
          return covering ? `${dataDir} is covered by a ${covering.type} mount at ${covering.destination}` : undefined;
        },
      };
    }
  }
}

function expectMount(mounts: MountFact[], type: string, source: string | undefined, destination: string): string | undefined {
  const found = mounts.find((m) => m.destination === destination);
  if (!found) return `nothing is mounted at ${destination}`;
  if (found.type !== type) return `${destination} is a ${found.type} mount, not ${type}`;
  if (source !== undefined && found.source !== source) return `${destination} comes from ${found.source}, not ${source}`;
  return undefined;
}

/** Throws unless the container's mounts are what the placement claims: a drill on the wrong storage proves nothing. */
export function requirePlaced(placement: StoragePlacement, state: ContainerState, who: string): void {
  const problem = placement.problemWith(state);
  if (problem)
    throw new HarnessError(`${who}'s storage is not what the drill claims: ${problem}.`, 'This is a harness bug; please report it with the evidence.');
}

export function describeMounts(mounts: MountFact[]): string {
  if (mounts.length === 0) return 'mounts: none';
  return `mounts: ${mounts.map((m) => `${m.type} ${shorten(m.source)} → ${m.destination}`).join('; ')}`;
}

function shorten(source: string): string {
  // Anonymous volumes have 64-hex names: the first 12 characters identify them.
  return /^[0-9a-f]{64}$/.test(source) ? `${source.slice(0, 12)}… (anonymous)` : source;
}
