// A crash-consistent snapshot: the running database's disk copied at one instant, without
// stopping or freezing anything, as a cloud-disk or CSI volume snapshot is taken. The copy holds
// what the disk held, not what the server or the kernel still had in memory: restored and
// started, the server recovers as after a power cut. (An LVM snapshot or `fsfreeze` first syncs
// the file system, and then equals a SIGKILL.) The restore copies the snapshot into the new
// volume, as a provider makes a new volume from a snapshot.
import { runOneShot } from '../../docker/one-shot.ts';
import type { PowerDisk } from '../../host/power-disk.ts';
import { createDiskVolume, volumeOn } from '../../stack/disk-volume.ts';
import { BackupFailedError, lastLines, RestoreFailedError, type BackupMethod } from '../method.ts';
import { copyVolume } from './volume-copy.ts';

const COPY = 'cp -a /source/. /destination/';

/** Where a method keeps the service's data on a disk of its own: each trial's volume, and the disk under it. */
function dataOnDisk(disks: Map<string, PowerDisk>): NonNullable<BackupMethod['dataVolume']> {
  return async (scope, purpose, toolboxImage) => {
    const { disk, volume } = await createDiskVolume(scope, purpose, toolboxImage);
    disks.set(volume, disk);
    // A server that has run for a while has its files on its disk; one started on a copy made a
    // moment ago would not, and the snapshot would catch the copy half-written instead.
    const settle = async () =>
      `the data volume is on a disk of its own; the initialised data synced to it in ${await disk.syncDisk()} ms before the server started`;
    return { volume, settle };
  };
}

/** Any method with the service's data on a disk of its own: the hot tar beside the snapshot, on the same kind of volume. */
export function onItsOwnDisk(method: BackupMethod): BackupMethod {
  return { ...method, title: `${method.title} of a volume on its own disk`, dataVolume: dataOnDisk(new Map()) };
}

export function diskSnapshot(): BackupMethod {
  const disks = new Map<string, PowerDisk>();
  return {
    name: 'disk-snapshot',
    title: 'crash-consistent disk snapshot (hot)',
    mode: 'hot',
    quiesce: false,
    restoresInto: 'volume',
    dataVolume: dataOnDisk(disks),

    async backup(workspace) {
      const disk = disks.get(workspace.volume);
      if (!disk) throw new BackupFailedError(`volume ${workspace.volume} is not on a disk this method made`);
      const cut = await disk.cut();
      const snapshot = await volumeOn(workspace.scope, `${workspace.subject.name}-snapshot`, cut.mountPoint);
      const size = await runOneShot(workspace.scope, {
        image: workspace.toolboxImage,
        script: 'du -sk /snapshot',
        binds: [`${snapshot}:/snapshot:ro`],
        purpose: 'snapshot-size',
      });
      const kib = /^(\d+)\s/m.exec(size.logs);
      workspace.evidence.push(
        `snapshot: the running server's disk copied at one instant by reflink in ${cut.copyMs} ms (nothing stopped or frozen), mounted (ext4 journal replayed) in ${cut.replayMs} ms, ${cut.fsck.summary}`,
      );
      if (size.exitCode !== 0 || !kib) throw new BackupFailedError(`du of the snapshot failed: ${lastLines(size.logs)}`);
      return {
        volume: snapshot,
        name: snapshot,
        bytes: Number(kib[1]) * 1024,
        sha256: null,
        entries: null,
        startedAt: cut.cutAt,
        commands: [`cp --reflink=always disk.img snapshot.img   # the disk under ${workspace.volume}, at one instant: a cloud-disk or CSI snapshot`],
      };
    },

    async restore(backup, workspace) {
      if (!backup.volume) throw new RestoreFailedError('The snapshot has no volume.');
      await copyVolume(workspace.scope, workspace.toolboxImage, COPY, backup.volume, workspace.volume, 'restore-copy');
      workspace.evidence.push(`restore: a new volume ${workspace.volume} made from snapshot ${backup.volume} (${COPY})`);
    },
  };
}
