import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hashFolder } from './content-hash.ts';

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ph-hash-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe('hashFolder', () => {
  test('the same content gives the same hash wherever it is', async () => {
    const a = await folderWith({ Dockerfile: 'FROM x', 'bin/entry.sh': 'echo' });
    const b = await folderWith({ 'bin/entry.sh': 'echo', Dockerfile: 'FROM x' });
    expect(await hashFolder(a)).toBe(await hashFolder(b));
  });

  test('a changed byte, a renamed file or another base changes the hash', async () => {
    const base = await hashFolder(await folderWith({ Dockerfile: 'FROM x' }));
    expect(await hashFolder(await folderWith({ Dockerfile: 'FROM y' }))).not.toBe(base);
    expect(await hashFolder(await folderWith({ Containerfile: 'FROM x' }))).not.toBe(base);
    expect(await hashFolder(await folderWith({ Dockerfile: 'FROM x' }), 'other-base')).not.toBe(base);
  });
});
