import { describe, expect, test } from 'vitest';
import type { Fingerprint } from '../data/fingerprint.ts';
import { postgres } from '../services/postgres/driver.ts';
import { judgeUpgrade } from './database-upgrade.ts';
import { judgeWordPressUpgrade } from './wordpress-upgrade.ts';
import { classifyInPlace, refusalMessages, upgradeMessages } from './upgrade-observe.ts';

const before: Fingerprint = { employees: { present: true, rows: 3, contentHash: 'a' }, readings: { present: true, rows: 2000, contentHash: 'b' } };
const empty: Fingerprint = { employees: { present: false, rows: 0, contentHash: null }, readings: { present: false, rows: 0, contentHash: null } };

describe('what a new server did with the old data', () => {
  test('the same data under the mounted path: upgraded in place', () => {
    expect(classifyInPlace({ before, after: before, initialised: false, mounted: '/var/lib/mysql', serverDataDir: '/var/lib/mysql/' })).toBe('upgraded');
  });

  test('empty, with its data directory outside the mount: re-initialised', () => {
    expect(
      classifyInPlace({ before, after: empty, initialised: true, mounted: '/var/lib/postgresql/data', serverDataDir: '/var/lib/postgresql/17/docker' }),
    ).toBe('reinitialised');
  });

  test('a path that only starts with the same letters is not inside the mount', () => {
    expect(classifyInPlace({ before, after: empty, initialised: false, mounted: '/var/lib/postgresql/data', serverDataDir: '/var/lib/postgresql/data2' })).toBe(
      'reinitialised',
    );
  });

  test('running on the old directory with different rows: the data differs', () => {
    const changed: Fingerprint = { ...before, readings: { present: true, rows: 1999, contentHash: 'c' } };
    expect(classifyInPlace({ before, after: changed, initialised: false, mounted: '/var/lib/mysql', serverDataDir: '/var/lib/mysql' })).toBe('data-differs');
  });

  test("the server's refusal, in its own words", () => {
    const logs = [
      'some start-up line',
      '2026-11-28 11:09:35.758 UTC [1] FATAL:  database files are incompatible with server',
      '2026-11-28 11:09:35.758 UTC [1] DETAIL:  The data directory was initialized by PostgreSQL version 15, which is not compatible with this version 17.12.',
    ].join('\n');
    expect(refusalMessages(logs)).toHaveLength(2);
    expect(refusalMessages(logs)[1]).toContain('initialized by PostgreSQL version 15');
  });

  test("an entrypoint's refusal names the path it found data in", () => {
    const logs = [
      'Error: in 18+, these Docker images are configured to store database data in a',
      '       format which is compatible with "pg_ctlcluster" (specifically, using',
      '       Counter to that, there appears to be PostgreSQL data in:',
      '         /var/lib/postgresql/data (unused mount/volume)',
    ].join('\n');
    expect(refusalMessages(logs)).toEqual([
      'Error: in 18+, these Docker images are configured to store database data in a',
      '/var/lib/postgresql/data (unused mount/volume)',
    ]);
  });

  test('a refusal over old data names the folder that holds it', () => {
    const logs = [
      'Error: in 18+, these Docker images are configured to store database data in a',
      '       Counter to that, there appears to be PostgreSQL data in:',
      '         /var/lib/postgresql/data',
      '',
    ].join('\n');
    expect(refusalMessages(logs)).toEqual(['Error: in 18+, these Docker images are configured to store database data in a', '/var/lib/postgresql/data']);
  });

  test('upgrade and fresh-initialisation lines are picked from the log', () => {
    const logs =
      'The files belonging to this database system will be owned by user "postgres".\nLOG:  listening\nPostgreSQL init process complete; ready for start up.';
    expect(upgradeMessages(logs, postgres)).toHaveLength(2);
  });
});

describe('an upgrade verdict', () => {
  const before = { employees: { present: true, rows: 3, contentHash: 'a' } };
  test('the same data by a path that got it there survives; no path, or other data, is lost', () => {
    expect(judgeUpgrade(before, structuredClone(before), 'in-place').observed).toBe('survives');
    expect(judgeUpgrade(before, structuredClone(before), 'dump-restore').observed).toBe('survives');
    expect(judgeUpgrade(before, structuredClone(before), 'none').observed).toBe('lost');
    expect(judgeUpgrade(before, {}, 'in-place').observed).toBe('lost');
  });
});

describe('a WordPress upgrade verdict', () => {
  const served = [{ observed: 'survives' as const }, { observed: 'survives' as const }];
  test('every item served and the new core in the volume: survives', () => {
    expect(judgeWordPressUpgrade(served, { coreAfterUpgrade: '6.8.3', coreOfNewImage: '6.8.3' })).toBe('survives');
  });
  test('the old core still in the volume, or an item lost: lost', () => {
    expect(judgeWordPressUpgrade(served, { coreAfterUpgrade: '6.1.9', coreOfNewImage: '6.8.3' })).toBe('lost');
    expect(judgeWordPressUpgrade([...served, { observed: 'lost' }], { coreAfterUpgrade: '6.8.3', coreOfNewImage: '6.8.3' })).toBe('lost');
    expect(judgeWordPressUpgrade(served, { coreAfterUpgrade: null, coreOfNewImage: null })).toBe('lost');
  });
});
