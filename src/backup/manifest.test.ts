import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MANIFEST_SUFFIX, verifyBackup, writeManifest } from './manifest.ts';

describe('backup manifests', () => {
  let folder: string;
  let archive: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'manifest-test-'));
    archive = join(folder, 'data_20261128_020000.tar.gz');
    await writeFile(archive, Buffer.alloc(4096, 7));
    await writeManifest(archive, { method: 'helper-tar', source: 'data', entries: ['data/', 'data/a'] });
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  test('a backup that matches its manifest verifies', async () => {
    const manifest = await verifyBackup(archive);
    expect(manifest).toMatchObject({ backup: 'data_20261128_020000.tar.gz', bytes: 4096, entries: ['data/', 'data/a'] });
    expect(JSON.parse(await readFile(`${archive}${MANIFEST_SUFFIX}`, 'utf8')).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a truncated backup is refused as corrupt, in one sentence', async () => {
    await truncate(archive, 1000);
    await expect(verifyBackup(archive)).rejects.toThrow(
      /^The backup data_20261128_020000\.tar\.gz is corrupt: it has 1000 bytes, its manifest recorded 4096 \(truncated\); restore from another backup\.$/,
    );
  });

  test('a backup with the same size but other bytes is refused by its sha256', async () => {
    await writeFile(archive, Buffer.alloc(4096, 8));
    await expect(verifyBackup(archive)).rejects.toThrow(/is corrupt: its sha256 is/);
  });

  test('a backup without a manifest cannot be verified', async () => {
    await rm(`${archive}${MANIFEST_SUFFIX}`);
    await expect(verifyBackup(archive)).rejects.toThrow(/has no readable manifest/);
  });
});
