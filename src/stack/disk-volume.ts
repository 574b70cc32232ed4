// A named volume on a power-cut disk (host/power-disk.ts): a local volume whose device is the
// disk's mount point, so a server keeps its data on that disk exactly as on any named volume.
// Docker must see the mount: it shares this host's mount namespace where the engine is local,
// and a probe container proves it before any trial counts on it.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { docker } from '../docker/engine.ts';
import { runOneShot } from '../docker/one-shot.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { PowerDisk } from '../host/power-disk.ts';

const MARK = '.persist-disk-check';

export interface DiskVolume {
  disk: PowerDisk;
  volume: string;
}

/** A new disk in a folder of the scope's (released with it) and a volume on it. */
export async function createDiskVolume(scope: RunScope, purpose: string, toolboxImage: string): Promise<DiskVolume> {
  const folder = await scope.createHostFolder(`${purpose}-disk`);
  scope.trackDisks(folder);
  const disk = await PowerDisk.create(folder);
  const volume = await volumeOn(scope, purpose, disk.mountPoint);
  await proveEngineSees(scope, toolboxImage, volume, disk.mountPoint);
  return { disk, volume };
}

/** A named volume whose data is the folder at `mountPoint` (a disk, or a cut's copy of it). */
export async function volumeOn(scope: RunScope, purpose: string, mountPoint: string): Promise<string> {
  const name = scope.uniqueName(purpose);
  await docker().createVolume({ Name: name, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device: mountPoint }, Labels: scope.labels(purpose) });
  scope.trackVolume(name);
  return name;
}

/** A container writes a mark through the volume; this host must find it on the disk. */
async function proveEngineSees(scope: RunScope, toolboxImage: string, volume: string, mountPoint: string): Promise<void> {
  const token = scope.uniqueName('disk-check');
  const wrote = await runOneShot(scope, {
    image: toolboxImage,
    script: `printf %s '${token}' > /disk/${MARK} && sync /disk/${MARK}`,
    binds: [`${volume}:/disk`],
    purpose: 'disk-check',
  });
  const found = await readFile(join(mountPoint, MARK), 'utf8').catch(() => undefined);
  await rm(join(mountPoint, MARK), { force: true });
  if (wrote.exitCode !== 0 || found !== token) {
    throw new HarnessError(
      `A container wrote to volume ${volume}, but the disk mounted at ${mountPoint} on this host does not hold it: the Docker engine does not see this host's mounts.`,
      'Power cuts need the Docker engine on this host, in its mount namespace (not Docker Desktop, not a remote DOCKER_HOST, not rootless Docker).',
    );
  }
}
