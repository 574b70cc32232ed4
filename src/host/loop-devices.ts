// Loop devices and mounts as the kernel lists them: /sys/block/loop*/loop/backing_file for what
// each loop device is attached to, /proc/self/mountinfo for what is mounted where. Read from the
// kernel, not from a record of ours, so a killed run's leftovers are found just the same.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { host } from './host-commands.ts';

export interface LoopDevice {
  device: string;
  backingFile: string;
}

export interface Mount {
  mountPoint: string;
  source: string;
}

export async function attachLoop(file: string): Promise<string> {
  // Direct I/O: the disk's writes reach its backing file at once, with no page cache of the
  // loop device's own in between for a reflink copy to flush first.
  return (await host('losetup', ['--direct-io=on', '--find', '--show', file])).trim();
}

/**
 * Detaches the loop device; one that detached itself meanwhile (a loop mount's autoclear, as its
 * file system is unmounted) counts as detached: losetup then says "No such device or address".
 */
export async function detachLoop(device: string): Promise<void> {
  try {
    await host('losetup', ['--detach', device]);
  } catch (error) {
    if (await isAttached(device)) throw error;
  }
}

/** Whether the kernel still lists a backing file for the loop device. */
export async function isAttached(device: string): Promise<boolean> {
  return (await backingFileOf(device.replace(/^\/dev\//, ''))) !== undefined;
}

/** What the kernel lists as loopN's backing file; undefined when none is attached. */
async function backingFileOf(name: string): Promise<string | undefined> {
  const backing = await readFile(join('/sys/block', name, 'loop', 'backing_file'), 'utf8').catch(() => undefined);
  return backing?.trim().replace(/ \(deleted\)$/, '');
}

export async function loopDevices(): Promise<LoopDevice[]> {
  const names = await readdir('/sys/block').catch(() => [] as string[]);
  const found: LoopDevice[] = [];
  for (const name of names.filter((n) => /^loop\d+$/.test(n))) {
    const backingFile = await backingFileOf(name);
    if (backingFile !== undefined) found.push({ device: `/dev/${name}`, backingFile });
  }
  return found;
}

export async function mounts(): Promise<Mount[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const separator = fields.indexOf('-');
      return { mountPoint: unescapeMountPath(fields[4] ?? ''), source: unescapeMountPath(fields[separator + 2] ?? '') };
    });
}

/** mountinfo writes a space, tab, newline and backslash in a path as octal escapes. */
export function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export async function mount(device: string, mountPoint: string, options: string[] = []): Promise<void> {
  await host('mount', [...(options.length > 0 ? ['-o', options.join(',')] : []), device, mountPoint]);
}

export async function unmount(mountPoint: string): Promise<void> {
  await host('umount', [mountPoint]);
}
