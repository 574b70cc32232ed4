// What the engine's storage sits on, read from inside a container, so it holds for a remote
// engine too: the mount under a directory (its file system, source and device numbers) from
// /proc/self/mountinfo, and the whole disk behind those numbers from /sys (read-only in every
// container). The throttle control needs the disk: the engine throttles whole block devices.
import { execIn } from '../docker/exec.ts';

export interface MountFacts {
  device: string;
  mountPoint: string;
  filesystem: string;
  source: string;
}

export interface DiskFacts extends MountFacts {
  /** The whole disk behind the mount, as /dev/NAME; null when the file system has no block device. */
  disk: string | null;
  rotational: boolean | null;
  sizeBytes: number | null;
}

/** The mount that holds `path` in mountinfo: the longest mount point that is `path` or a parent of it. */
export function mountHolding(mountinfo: string, path: string): MountFacts | undefined {
  const mounts = mountinfo
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length >= 10)
    .map((fields) => {
      const separator = fields.indexOf('-');
      return { device: fields[2] ?? '', mountPoint: fields[4] ?? '', filesystem: fields[separator + 1] ?? '', source: fields[separator + 2] ?? '' };
    });
  const holding = mounts.filter((m) => path === m.mountPoint || path.startsWith(m.mountPoint === '/' ? '/' : `${m.mountPoint}/`));
  return holding.sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
}

// Prints the disk behind MAJ:MIN (a partition's parent), whether it spins, and its size in 512-byte sectors.
const DISK_SCRIPT = `sys=/sys/dev/block/$1; [ -e "$sys" ] || exit 0
dev=$(readlink -f "$sys"); [ -e "$sys/partition" ] && dev=$(dirname "$dev")
echo "$(basename "$dev") $(cat "$dev/queue/rotational" 2>/dev/null || echo -) $(cat "$dev/size" 2>/dev/null || echo -)"`;

export function readDiskLine(line: string): Pick<DiskFacts, 'disk' | 'rotational' | 'sizeBytes'> {
  const [name, rotational, sectors] = line.trim().split(/\s+/);
  if (!name) return { disk: null, rotational: null, sizeBytes: null };
  return {
    disk: `/dev/${name}`,
    rotational: rotational === '1' ? true : rotational === '0' ? false : null,
    sizeBytes: sectors && /^\d+$/.test(sectors) ? Number(sectors) * 512 : null,
  };
}

export async function diskUnder(containerId: string, path: string): Promise<DiskFacts | undefined> {
  const mountinfo = await execIn(containerId, ['cat', '/proc/self/mountinfo']);
  const mount = mountHolding(mountinfo.stdout.toString('utf8'), path);
  if (!mount) return undefined;
  const disk = await execIn(containerId, ['sh', '-c', DISK_SCRIPT, 'disk', mount.device]);
  return { ...mount, ...readDiskLine(disk.stdout.toString('utf8')) };
}

export function describeDisk(facts: DiskFacts): string {
  if (!facts.disk) return `${facts.filesystem} from ${facts.source} (no block device)`;
  const size = facts.sizeBytes === null ? '' : `, ${Math.round(facts.sizeBytes / 2 ** 30)} GiB`;
  const kind = facts.rotational === null ? '' : facts.rotational ? ', rotational' : ', non-rotational';
  return `${facts.disk} (${facts.device}${size}${kind})`;
}
