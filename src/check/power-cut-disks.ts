// The copy's named volumes on power-cut disks (host/power-disk.ts), for the `power-cut`
// disruption: each volume's data copied onto a disk of its own (owners and modes kept), synced,
// and the volume made again under the same name and Compose labels as a local volume whose
// device is the disk's mount point, so the project runs on it unchanged. The cut copies every
// disk, then the copy is killed and started again on the copies, as a host after a power cut.
import { docker } from '../docker/engine.ts';
import { removeVolume, type RunScope } from '../docker/run-scope.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import { host } from '../host/host-commands.ts';
import { type DiskCut, PowerDisk } from '../host/power-disk.ts';

interface OnDisk {
  name: string;
  labels: Record<string, string>;
  disk: PowerDisk;
}

export class VolumesOnDisks {
  private readonly volumes: OnDisk[];

  private constructor(volumes: OnDisk[]) {
    this.volumes = volumes;
  }

  get names(): string[] {
    return this.volumes.map((volume) => volume.name);
  }

  /** Stops the copy, moves every named volume onto a disk of its own, and starts the copy again. */
  static async place(stack: ComposeStack, scope: RunScope): Promise<{ placed: VolumesOnDisks; problem: string | undefined }> {
    const found = await stack.namedVolumes();
    await stack.removeContainers('graceful');
    const volumes: OnDisk[] = [];
    for (const volume of found) {
      const folder = await scope.createHostFolder('power-cut-disk');
      scope.trackDisks(folder);
      const disk = await PowerDisk.create(folder);
      // The same bytes, owners and modes, the volume's own folder too (the engine's host: a local engine is required).
      await host('cp', ['-a', `${volume.mountpoint}/.`, `${disk.mountPoint}/`]);
      await host('chown', [`--reference=${volume.mountpoint}`, disk.mountPoint]);
      await host('chmod', [`--reference=${volume.mountpoint}`, disk.mountPoint]);
      await disk.syncDisk();
      await remake(volume.name, volume.labels, disk.mountPoint);
      volumes.push({ name: volume.name, labels: volume.labels, disk });
    }
    return { placed: new VolumesOnDisks(volumes), problem: await stack.upAgain() };
  }

  /** Every disk cut, one after another (a few ms each); the first cut's start is the instant judged. */
  async cut(): Promise<Array<{ volume: string; cut: DiskCut }>> {
    const cuts: Array<{ volume: string; cut: DiskCut }> = [];
    for (const volume of this.volumes) cuts.push({ volume: volume.name, cut: await volume.disk.cut() });
    return cuts;
  }

  /** The copy SIGKILLed and removed, each volume made again on its disk's cut, and the copy started on them. */
  async restartOn(stack: ComposeStack, cuts: Array<{ volume: string; cut: DiskCut }>): Promise<string | undefined> {
    await stack.removeContainers('SIGKILL');
    for (const { volume, cut } of cuts) {
      const own = this.volumes.find((v) => v.name === volume);
      if (own) await remake(volume, own.labels, cut.mountPoint);
    }
    return stack.upAgain();
  }
}

/** The volume removed and made again, same name and labels, its data the folder at `device`. */
async function remake(name: string, labels: Record<string, string>, device: string): Promise<void> {
  await removeVolume(name);
  await docker().createVolume({ Name: name, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device }, Labels: labels });
}
