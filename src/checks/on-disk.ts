// Where a container's files can end up on the engine's disk: its writable layer and the
// volumes and bind folders it mounts. Used to prove that something was never written there.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { docker } from '../docker/engine.ts';

export interface DiskSearch {
  /** Where the token was found (container paths from `docker diff`, host paths otherwise). */
  foundIn: string[];
  /** What could be searched, for the evidence. */
  searched: string[];
}

/** Looks for a token in the container's changes (`docker diff`) and in its files on the host. */
export async function searchDisk(containerId: string, token: string, underPaths: string[]): Promise<DiskSearch> {
  const container = docker().getContainer(containerId);
  const info = await container.inspect();
  const foundIn: string[] = [];
  const searched: string[] = ['docker diff'];

  const changes = ((await container.changes()) ?? []) as Array<{ Path: string }>;
  // The mount points themselves are made in the writable layer to mount on; only what is
  // under them would be the data.
  for (const change of changes) {
    if (underPaths.some((p) => change.Path.startsWith(`${p}/`))) foundIn.push(`docker diff: ${change.Path}`);
  }

  const hostPaths: string[] = [];
  const upper = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
  if (upper) hostPaths.push(upper);
  for (const mount of info.Mounts ?? []) if (mount.Source) hostPaths.push(mount.Source);
  for (const path of hostPaths) {
    if (!(await readable(path))) continue;
    searched.push(path);
    for (const file of await filesUnder(path)) {
      if ((await readFile(file).catch(() => Buffer.alloc(0))).includes(token)) foundIn.push(file);
    }
  }
  return { foundIn, searched };
}

async function readable(path: string): Promise<boolean> {
  return stat(path)
    .then((s) => s.isDirectory())
    .catch(() => false);
}

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
