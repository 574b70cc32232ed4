// The host folders of a project's bind mounts as this machine has them: whether each exists, its
// owner and mode. Only read (stat), never created or changed; a folder this user cannot look at
// is left out (nothing is said of it), never taken for missing.
import { stat } from 'node:fs/promises';
import type { HostFolder } from './bind-permissions.ts';
import type { StorageMount } from './storage-map.ts';

export async function hostFolders(mounts: readonly StorageMount[]): Promise<Map<string, HostFolder>> {
  const folders = new Map<string, HostFolder>();
  for (const mount of mounts) {
    if (mount.kind !== 'bind-mount' || !mount.source || folders.has(mount.source)) continue;
    try {
      const found = await stat(mount.source);
      if (found.isDirectory()) folders.set(mount.source, { exists: true, uid: found.uid, gid: found.gid, mode: found.mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') folders.set(mount.source, { exists: false });
    }
  }
  return folders;
}
