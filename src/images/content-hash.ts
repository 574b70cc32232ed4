// A stand-in image is rebuilt only when its folder changed: the hash of every file's path and
// bytes is stored as an image label and compared before building.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const CONTENT_HASH_LABEL = 'persistence-harness.content-hash';

export async function hashFolder(folder: string, extra = ''): Promise<string> {
  const hash = createHash('sha256').update(extra);
  for (const file of await listFiles(folder)) {
    hash
      .update(relative(folder, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
