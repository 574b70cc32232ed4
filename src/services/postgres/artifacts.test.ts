import { describe, expect, it } from 'vitest';
import { dumpDatabase } from '../mysql/artifacts.ts';
import { archiveDatabase, artifactKit, createdBy, ownerIn, plainDumpMajor } from './artifacts.ts';
import { dataDirectoryBelow } from './base-backup-fill.ts';

describe("PostgreSQL's backup files", () => {
  it('are told by their first bytes', () => {
    const head = (text: string) => ({ shape: 'file' as const, bytes: Buffer.from(text) });
    const formatOf = (text: string) => artifactKit.formats.find((f) => f.recognise(head(text)))?.id;
    expect(formatOf('PGDMP\x01\x0e\x00')).toBe('pg-custom');
    expect(formatOf('--\n-- PostgreSQL database dump\n--\n')).toBe('pg-plain');
    expect(formatOf('-- MySQL dump 10.13\n')).toBeUndefined();
    const folder = (names: string[]) => artifactKit.formats.find((f) => f.recognise({ shape: 'directory', names }))?.id;
    expect(folder(['backup_manifest', 'base.tar.gz', 'pg_wal.tar.gz'])).toBe('pg-basebackup');
    expect(folder(['base.tar'])).toBe('pg-basebackup');
    expect(folder(['toc.dat', '3456.dat.gz'])).toBe('pg-directory');
    expect(formatOf('--\n-- PostgreSQL database cluster dump\n--\n\n--\n-- PostgreSQL database dump\n')).toBe('pg-dumpall');
  });

  it('put a base backup at PGDATA, below the volume where the image keeps it there', () => {
    expect(dataDirectoryBelow('/var/lib/postgresql', '/var/lib/postgresql/18/docker')).toBe('18/docker');
    expect(dataDirectoryBelow('/var/lib/postgresql/data', '/var/lib/postgresql/data')).toBeUndefined();
    expect(dataDirectoryBelow('/var/lib/postgresql/data', undefined)).toBeUndefined();
    expect(dataDirectoryBelow('/srv/pg', '/var/lib/postgresql/data')).toBeUndefined();
  });

  it("name what a cluster's dump creates: its roles and databases", () => {
    expect(createdBy('CREATE ROLE app;')).toEqual({ role: 'app' });
    expect(createdBy('CREATE ROLE "Odd ""One""";')).toEqual({ role: 'Odd "One"' });
    expect(createdBy("CREATE DATABASE shop WITH TEMPLATE = template0 ENCODING = 'UTF8';")).toEqual({ database: 'shop' });
    expect(createdBy('ALTER ROLE app WITH LOGIN;')).toBeUndefined();
    expect(createdBy('-- CREATE ROLE app;')).toBeUndefined();
  });

  it("name what a restore needs: the archive's database, the dump's owners and pg_dump's version", () => {
    expect(archiveDatabase(';\n; Archive created at 2026-12-02\n;     dbname: shop\n;     TOC Entries: 14\n')).toBe('shop');
    expect(ownerIn('ALTER TABLE public.orders OWNER TO app;')).toBe('app');
    expect(ownerIn('ALTER SCHEMA s OWNER TO "Weird ""Name""";')).toBe('Weird "Name"');
    expect(ownerIn('-- not an owner')).toBeUndefined();
    expect(plainDumpMajor('-- Dumped from database version 15.10\n-- Dumped by pg_dump version 17.2\n')).toBe(17);
    expect(plainDumpMajor('-- Dumped by pg_dumpall version 16.4\n')).toBe(16);
  });

  it('refuse a server too old for the artifact, naming the image to use', () => {
    const custom16 = { shape: 'file' as const, bytes: Buffer.from([0x50, 0x47, 0x44, 0x4d, 0x50, 1, 15, 0]) };
    expect(artifactKit.unreadable?.('pg-custom', custom16, '15.10')?.fix).toMatch(/postgres:16/);
    expect(artifactKit.unreadable?.('pg-custom', custom16, '17.2')).toBeUndefined();
    const plain17 = { shape: 'file' as const, bytes: Buffer.from('-- Dumped by pg_dump version 17.2\n') };
    expect(artifactKit.unreadable?.('pg-plain', plain17, '15.10')?.fix).toMatch(/--image postgres:17/);
  });
});

describe('a mysqldump', () => {
  it('names its one database in its header, and none when it holds several', () => {
    expect(dumpDatabase('-- MariaDB dump 10.19\n--\n-- Host: localhost    Database: shop\n')).toBe('shop');
    expect(dumpDatabase('-- MySQL dump 10.13\n-- Host: localhost    Database: \n')).toBeUndefined();
    expect(dumpDatabase('-- Host: db    Database: shop\nCREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop`;\n')).toBeUndefined();
  });
});

describe('a mariadb-backup folder', () => {
  it('is told by its checkpoints file, and its restore read from the script that prepares and copies it back', async () => {
    const { artifactKit: mysql, physicalRestoreOutcome } = await import('../mysql/artifacts.ts');
    const folder = mysql.formats.find((format) => format.id === 'mariabackup')!;
    expect(folder.recognise({ shape: 'directory', names: ['backup-my.cnf', 'ibdata1', 'xtrabackup_checkpoints'] })).toBe(true);
    expect(folder.recognise({ shape: 'directory', names: ['nightly/mariadb_backup_checkpoints'] })).toBe(true);
    expect(folder.recognise({ shape: 'directory', names: ['ibdata1'] })).toBe(false);
    expect(physicalRestoreOutcome(0, '[00] completed OK!\n--- copy-back\n')).toMatchObject({
      steps: [{ ok: true }, { command: 'mariadb-backup --copy-back', ok: true }],
      integrity: [{ passed: true, detail: '[00] completed OK!' }],
    });
    expect(physicalRestoreOutcome(10, 'InnoDB: Database page corruption on disk\n')).toMatchObject({
      steps: [{ ok: false, detail: 'exit 10: InnoDB: Database page corruption on disk' }],
      integrity: [{ passed: false }],
    });
    expect(physicalRestoreOutcome(11, 'ok\n--- copy-back\nOriginal data directory is not empty!\n').steps[1]).toMatchObject({ ok: false });
    expect(() => physicalRestoreOutcome(13, 'versions 10.11 11.8\n')).toThrow(/taken of MariaDB 10.11 .* is 11.8: it prepares only backups of its own version/);
  });
});

describe("Redis's RDB", () => {
  it('is told by its magic, and its keyspace read per database', async () => {
    const { artifactKit: redis, aofManifestIn, keyspace } = await import('../redis/artifacts.ts');
    expect(redis.formats[0]?.recognise({ shape: 'file', bytes: Buffer.from('REDIS0011\xfa\tredis-ver', 'latin1') })).toBe(true);
    expect(redis.formats[0]?.recognise({ shape: 'file', bytes: Buffer.from('REDISH') })).toBe(false);
    const aof = redis.formats.find((format) => format.id === 'redis-aof')!;
    const names = ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest'];
    expect(aof.recognise({ shape: 'directory', names })).toBe(true);
    expect(aof.recognise({ shape: 'directory', names: ['notes.manifest', 'readme'] })).toBe(false);
    expect(aofManifestIn(names.map((name) => `appendonlydir/${name}`))).toBe('appendonlydir/appendonly.aof.manifest');
    expect(keyspace('# Keyspace\r\ndb0:keys=301,expires=0,avg_ttl=0\r\ndb3:keys=2,expires=1,avg_ttl=9\r\n')).toEqual([
      { database: 'db0', table: 'keys', rows: 301 },
      { database: 'db3', table: 'keys', rows: 2 },
    ]);
  });
});
