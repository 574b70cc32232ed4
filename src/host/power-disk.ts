// A disk whose power can be cut: an ext4 file system on a loop device (direct I/O), its backing
// file on an XFS file system with reflink, itself a loop-mounted image file in a folder of the
// run's. The cut is an atomic reflink copy of the backing file (FICLONE): the copy holds what the
// disk had received at that instant, and nothing the file system or the server still held in
// memory. Mounted, the copy replays ext4's journal as a host does after the power comes back.
// What it models: a disk that keeps every write it completed (power-loss protection); it shows
// what the server and the kernel had not yet written, not a disk cache's or a flush's faults.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { harnessNowMs, stopwatch } from '../timing/clock.ts';
import { host, hostAnswer } from './host-commands.ts';
import { attachLoop, mount } from './loop-devices.ts';

/** Sparse: only what is written takes space (the XFS holds the disk and its cuts, shared by reflink). */
const SHELF_BYTES = 16 * 1024 ** 3;
const DISK_BYTES = 4 * 1024 ** 3;

/** The replayed copy: mounted, checked, ready for a server to start on. */
export interface DiskCut {
  /** Where the copy is mounted. */
  mountPoint: string;
  /** When the copy began, on the harness's monotonic clock (harnessNowMs): the instant of the cut, set beside acknowledgements on the same clock. */
  cutAt: number;
  /** The reflink copy itself. */
  copyMs: number;
  /** Mounting the copy: ext4's journal replay. */
  replayMs: number;
  /** `e2fsck -fn` of the replayed copy: clean, or what it found. */
  fsck: { clean: boolean; summary: string };
}

export class PowerDisk {
  /** Where the server's data goes: the ext4 file system's root. */
  readonly mountPoint: string;
  private readonly folder: string;
  private cuts = 0;

  private constructor(folder: string) {
    this.folder = folder;
    this.mountPoint = join(folder, 'disk');
  }

  private get shelf(): string {
    return join(this.folder, 'shelf');
  }

  /** Builds the shelf and the disk in `folder` (a run's host folder, so the sweep finds them). */
  static async create(folder: string): Promise<PowerDisk> {
    const disk = new PowerDisk(folder);
    const shelfImage = join(folder, 'shelf.img');
    await host('truncate', ['-s', String(SHELF_BYTES), shelfImage]);
    const shelfDevice = await attachLoop(shelfImage);
    await host('mkfs.xfs', ['-q', '-m', 'reflink=1', shelfDevice]);
    await mkdir(disk.shelf, { recursive: true });
    await mount(shelfDevice, disk.shelf);
    const diskImage = join(disk.shelf, 'disk.img');
    await host('truncate', ['-s', String(DISK_BYTES), diskImage]);
    const device = await attachLoop(diskImage);
    await host('mkfs.ext4', ['-q', '-E', 'lazy_itable_init=1,lazy_journal_init=1', device]);
    await mkdir(disk.mountPoint, { recursive: true });
    await mount(device, disk.mountPoint);
    // initdb refuses a data directory that is not empty, and Docker copies no image content into one.
    await rm(join(disk.mountPoint, 'lost+found'), { recursive: true, force: true });
    return disk;
  }

  /**
   * Writes what this file system holds in memory to the disk (syncfs of this one file system,
   * never the host's `sync`, which would flush every disk, a pending cut's too). Returns its ms.
   */
  async syncDisk(): Promise<number> {
    const clock = stopwatch();
    await host('sync', ['--file-system', this.mountPoint]);
    return clock.ms();
  }

  /** The power cut: the disk as it is on the disk now, copied, replayed, checked and mounted. */
  async cut(): Promise<DiskCut> {
    this.cuts += 1;
    const name = `cut-${this.cuts}`;
    const copy = join(this.shelf, `${name}.img`);
    const cutAt = harnessNowMs();
    const copying = stopwatch();
    await host('cp', ['--reflink=always', join(this.shelf, 'disk.img'), copy]);
    const copyMs = copying.ms();
    const device = await attachLoop(copy);
    const mountPoint = join(this.folder, name);
    await mkdir(mountPoint, { recursive: true });
    const replaying = stopwatch();
    await mount(device, mountPoint);
    const replayMs = replaying.ms();
    // The replayed file system, checked without a change: unmounted for the check, then mounted again.
    await host('umount', [mountPoint]);
    const check = await hostAnswer('e2fsck', ['-fn', device]);
    await mount(device, mountPoint);
    const lastLine = check.output.split('\n').at(-1) ?? '';
    const fsck = { clean: check.exitCode === 0, summary: `e2fsck -fn exit ${check.exitCode}: ${lastLine}` };
    return { mountPoint, cutAt, copyMs, replayMs, fsck };
  }
}
