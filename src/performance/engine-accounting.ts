// The seed's monitoring commands, through the engine's API: a container's block I/O
// (`docker stats`' BlockIO column) and the space each volume and writable layer takes
// (`docker system df -v`).
import { docker } from '../docker/engine.ts';

export interface BlockIoBytes {
  readBytes: number;
  writeBytes: number;
}

interface BlkioEntry {
  op: string;
  value: number;
}

/** Bytes read and written by the container's processes since it started (cgroup v1 and v2 name the ops differently). */
export async function blockIo(containerId: string): Promise<BlockIoBytes> {
  const stats = (await docker().getContainer(containerId).stats({ stream: false })) as { blkio_stats?: { io_service_bytes_recursive?: BlkioEntry[] | null } };
  const entries = stats.blkio_stats?.io_service_bytes_recursive ?? [];
  const sum = (op: string) => entries.filter((entry) => entry.op.toLowerCase() === op).reduce((total, entry) => total + entry.value, 0);
  return { readBytes: sum('read'), writeBytes: sum('write') };
}

export function blockIoBetween(before: BlockIoBytes, after: BlockIoBytes): BlockIoBytes {
  return { readBytes: Math.max(0, after.readBytes - before.readBytes), writeBytes: Math.max(0, after.writeBytes - before.writeBytes) };
}

interface DiskUsage {
  Volumes?: Array<{ Name: string; UsageData?: { Size: number } | null }> | null;
  Containers?: Array<{ Id: string; SizeRw?: number }> | null;
}

/** A named volume's size as `docker system df -v` shows it; null when the engine did not compute it. */
export async function volumeSize(name: string): Promise<number | null> {
  const usage = (await docker().df()) as DiskUsage;
  const size = usage.Volumes?.find((volume) => volume.Name === name)?.UsageData?.Size;
  return size === undefined || size < 0 ? null : size;
}

/** What a container has written to its writable layer (`docker system df -v`'s SIZE, `docker ps -s`). */
export async function writableLayerSize(containerId: string): Promise<number | null> {
  const usage = (await docker().df()) as DiskUsage;
  return usage.Containers?.find((container) => container.Id === containerId)?.SizeRw ?? null;
}

/** The engine's side of the machine: version, storage driver, kernel, cgroup and data root. */
export async function engineMachineFacts(): Promise<{ engineVersion: string; storageDriver: string; kernel: string; cgroup: string; dataRoot: string }> {
  const info = (await docker().info()) as Record<string, string | undefined>;
  return {
    engineVersion: info.ServerVersion ?? 'unknown',
    storageDriver: info.Driver ?? 'unknown',
    kernel: info.KernelVersion ?? 'unknown',
    cgroup: `v${info.CgroupVersion ?? '?'} (${info.CgroupDriver ?? 'unknown driver'})`,
    dataRoot: info.DockerRootDir ?? 'unknown',
  };
}
