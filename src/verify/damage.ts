// The damaged copy every verification also restores, to prove it can fail: a copy in the run's
// scratch folder (the artifact itself is only read), cut at the middle, or, for a compressed
// file, with one byte changed in the middle of its stream, where a cut would only be noticed
// at the end.
import { copyFile, cp, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/** A damaged copy of the artifact in `scratch`: for a directory, its largest file is the one damaged. */
export async function damagedCopy(artifact: ArtifactFacts, scratch: string): Promise<DamagedCopy> {
  if (artifact.shape === 'file') {
    const path = join(scratch, 'damaged-artifact');
    await copyFile(artifact.path, path);
    return { path, how: await damageFile(path, artifact.compression !== 'none') };
  }
  const path = join(scratch, 'damaged-artifact');
  await cp(artifact.path, path, { recursive: true });
  const files = await readdir(path, { recursive: true, withFileTypes: true });
  const sized = await Promise.all(
    files.filter((f) => f.isFile()).map(async (f) => ({ file: join(f.parentPath, f.name), size: (await stat(join(f.parentPath, f.name))).size })),
  );
  const largest = sized.sort((a, b) => b.size - a.size)[0];
  if (!largest) return { path, how: 'nothing to damage: the directory holds no file' };
  const name = largest.file.slice(path.length + 1);
  return { path, how: `${name}: ${await damageFile(largest.file, /\.(gz|zst|zstd)$/.test(name))}` };
}
