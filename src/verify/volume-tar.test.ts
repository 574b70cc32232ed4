import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { componentsToStrip, tarEntries, VOLUME_TAR } from './volume-tar.ts';

async function tarOf(names: string[]): Promise<Buffer> {
  const archive = pack();
  for (const name of names) archive.entry({ name, type: name.endsWith('/') ? 'directory' : 'file' }, name.endsWith('/') ? '' : 'x');
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("a volume's tar", () => {
  it('is told by its header and listed entry by entry', async () => {
    const tar = await tarOf(['data/', 'data/PG_VERSION', 'data/base/1/1259']);
    expect(VOLUME_TAR.recognise({ shape: 'file', bytes: tar })).toBe(true);
    expect(VOLUME_TAR.recognise({ shape: 'file', bytes: Buffer.from('-- PostgreSQL database dump') })).toBe(false);
    expect(await tarEntries(Readable.from(tar))).toEqual(['data/', 'data/PG_VERSION', 'data/base/1/1259']);
    await expect(tarEntries(Readable.from(tar.subarray(0, 700)))).rejects.toThrow();
  });

  it("loses the helper's mount folder, the whole data path, or nothing, as it was made", () => {
    // docker run -v vol:/data … tar czf /backup/x.tar.gz /data (the seed's), restored with --strip 1
    expect(componentsToStrip(['data/', 'data/PG_VERSION', 'data/base/1/1259'], '/var/lib/postgresql/data')).toBe(1);
    // tar cvf /backup/backup.tar /var/lib/postgresql/data through --volumes-from
    expect(componentsToStrip(['var/lib/postgresql/data/', 'var/lib/postgresql/data/PG_VERSION'], '/var/lib/postgresql/data')).toBe(4);
    // tar czf … -C /data .
    expect(componentsToStrip(['./', './PG_VERSION', './base/1/1259'], '/var/lib/postgresql/data')).toBe(0);
    // a volume holding one file at its root is that file, not a folder to strip
    expect(componentsToStrip(['dump.rdb'], '/data')).toBe(0);
  });
});

describe("backup tools' repositories", () => {
  it('are told by their folders, and a snapshot is restored from where its files start', async () => {
    const { BORG, RESTIC, snapshotRoot } = await import('./repositories.ts');
    const restic = { shape: 'directory' as const, names: ['config', 'keys/3f2a', 'data/e5/e56c', 'snapshots/9a1b', 'index/77'] };
    const borg = { shape: 'directory' as const, names: ['README', 'config', 'data/0/1', 'hints.5', 'index.5', 'integrity.5', 'nonce'] };
    expect([RESTIC.recognise(restic), BORG.recognise(restic)]).toEqual([true, false]);
    expect([RESTIC.recognise(borg), BORG.recognise(borg)]).toEqual([false, true]);
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const root = await mkdtemp(join((await import('node:os')).tmpdir(), 'snapshot-'));
    await mkdir(join(root, 'var/lib/postgresql/data/base'), { recursive: true });
    await writeFile(join(root, 'var/lib/postgresql/data/PG_VERSION'), '15');
    expect(await snapshotRoot(root)).toBe(join(root, 'var/lib/postgresql/data'));
    await rm(root, { recursive: true });
  });
});
