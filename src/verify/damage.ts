// The damaged copy every verification also restores, to prove it can fail: a copy in the run's
// scratch folder (the artifact itself is only read), cut at the middle, or, for a compressed
// file, with one byte changed in the middle of its stream, where a cut would only be noticed
// at the end.
import { chmod, copyFile, cp, open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ArtifactFacts } from './artifact-file.ts';

export interface DamagedCopy {
  path: string;
  /** In a sentence: "cut at byte 1,234 of 2,468". */
  how: string;
}

/** The damage to do to a file of this size: cut it at the middle, or flip the middle byte of a compressed stream. */
export function damageFor(bytes: number, compressed: boolean): { kind: 'truncate' | 'flip'; at: number } {
  return { kind: compressed ? 'flip' : 'truncate', at: Math.floor(bytes / 2) };
}

async function damageFile(path: string, compressed: boolean): Promise<string> {
  const { size } = await stat(path);
  const damage = damageFor(size, compressed);
  const handle = await open(path, 'r+');
  try {
    if (damage.kind === 'truncate') {
      await handle.truncate(damage.at);
      return `cut at byte ${damage.at.toLocaleString('en')} of ${size.toLocaleString('en')}`;
    }
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, damage.at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, damage.at);
    return `byte ${damage.at.toLocaleString('en')} of ${size.toLocaleString('en')} inverted (inside the compressed stream)`;
  } finally {
    await handle.close();
  }
}

/** How many places of a folder are damaged in turn before the verification is said to be unable to fail. */
export const DAMAGE_ATTEMPTS = 3;

/**
 * The files of a folder damaged in turn, by path: the largest first, then the largest of each
 * other top-level folder. A restore need not read the largest file (a repository's oldest WAL
 * segment, which a restore to the backup's end never fetches): a second and third place, in
 * other parts of the folder, keep a check that could fail from being called unable to.
 */
export function damageOrder(files: readonly { name: string; size: number }[], limit = DAMAGE_ATTEMPTS): string[] {
  const bySize = [...files].sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  const top = (name: string) => (name.includes('/') ? name.slice(0, name.indexOf('/')) : '');
  const chosen: string[] = [];
  for (const file of bySize) if (chosen.length < limit && !chosen.some((name) => top(name) === top(file.name))) chosen.push(file.name);
  for (const file of bySize) if (chosen.length < limit && !chosen.includes(file.name)) chosen.push(file.name);
  return chosen;
}

/**
 * The `attempt`-th damaged copy of the artifact in `scratch` (a file has one: cut or flipped at
 * its middle; a folder one per place of `damageOrder`); undefined when there is no other place.
 */
export async function damagedCopy(artifact: ArtifactFacts, scratch: string, attempt = 0): Promise<DamagedCopy | undefined> {
  const path = join(scratch, 'damaged-artifact');
  if (artifact.shape === 'file') {
    if (attempt > 0) return undefined;
    await copyFile(artifact.path, path);
    return { path, how: await damageFile(path, artifact.compression !== 'none') };
  }
  const files = await readdir(artifact.path, { recursive: true, withFileTypes: true });
  const sized = await Promise.all(
    files
      .filter((f) => f.isFile())
      .map(async (f) => ({ name: relative(artifact.path, join(f.parentPath, f.name)), size: (await stat(join(f.parentPath, f.name))).size })),
  );
  const name = damageOrder(sized)[attempt];
  if (attempt === 0 && name === undefined) {
    await cp(artifact.path, path, { recursive: true });
    return { path, how: 'nothing to damage: the directory holds no file' };
  }
  if (name === undefined) return undefined;
  await cp(artifact.path, path, { recursive: true });
  // A copy of a read-only backup is read-only too: the one file damaged is made writable first.
  await chmod(join(path, name), 0o600);
  return { path, how: `${name}: ${await damageFile(join(path, name), /\.(gz|zst|zstd)$/.test(name))}` };
}
