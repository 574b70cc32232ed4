import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { artifactHead, compressionOf, describeArtifact } from './artifact-file.ts';
import { damagedCopy, damageFor, damageOrder } from './damage.ts';

const dir = await mkdtemp(join(tmpdir(), 'artifact-file-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an artifact file', () => {
  it('is told compressed by its first bytes and read decompressed', async () => {
    const sql = '-- PostgreSQL database dump\nSELECT 1;\n';
    await writeFile(join(dir, 'a.sql.gz'), gzipSync(sql));
    await writeFile(join(dir, 'a.sql.zst'), zstdCompressSync(Buffer.from(sql)));
    expect(compressionOf(gzipSync('x'))).toBe('gzip');
    expect(compressionOf(Buffer.from('PGDMP'))).toBe('none');
    for (const name of ['a.sql.gz', 'a.sql.zst']) {
      const facts = await describeArtifact(join(dir, name));
      const head = await artifactHead(facts);
      expect(head.shape === 'file' && head.bytes.toString()).toBe(sql);
    }
  });

  it('is damaged only in a copy: cut in the middle, or a byte inverted inside a compressed stream', async () => {
    expect(damageFor(10, false)).toEqual({ kind: 'truncate', at: 5 });
    expect(damageFor(11, true)).toEqual({ kind: 'flip', at: 5 });
    const path = join(dir, 'plain.sql');
    await writeFile(path, 'x'.repeat(100));
    const before = await stat(path);
    const facts = await describeArtifact(path);
    const copy = (await damagedCopy(facts, await mkdtemp(join(dir, 'scratch-'))))!;
    expect(copy.how).toBe('cut at byte 50 of 100');
    expect((await readFile(copy.path)).length).toBe(50);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect((await describeArtifact(path)).sha256).toBe(facts.sha256);
  });

  it("a folder's damage goes to its largest file, then to the largest of each other top-level folder", () => {
    const files = [
      { name: 'archive/wal-1.gz', size: 900 },
      { name: 'archive/wal-2.gz', size: 800 },
      { name: 'backup/base/1.gz', size: 300 },
      { name: 'backup.info', size: 10 },
    ];
    expect(damageOrder(files)).toEqual(['archive/wal-1.gz', 'backup/base/1.gz', 'backup.info']);
    expect(damageOrder(files.slice(0, 2))).toEqual(['archive/wal-1.gz', 'archive/wal-2.gz']);
    expect(damageOrder([])).toEqual([]);
  });
});
