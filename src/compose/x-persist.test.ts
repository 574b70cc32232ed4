import { describe, expect, test } from 'vitest';
import { parseXPersist, upgradeImageOf } from './x-persist.ts';

const services = ['db', 'app'];

describe('the x-persist block', () => {
  test('absent means no settings', () => {
    expect(parseXPersist(undefined, services)).toEqual({});
  });

  test('data paths and an upgrade per service', () => {
    const block = { services: { app: { data: ['/srv/data'] }, db: { upgrade: { image: 'postgres:18' } } } };
    expect(parseXPersist(block, services)).toEqual(block);
  });

  test('a service that does not exist is named, with the ones that do', () => {
    expect(() => parseXPersist({ services: { web: { data: ['/x'] } } }, services)).toThrow(
      'x-persist.services.web names no service of this project (its services: db, app).',
    );
  });

  test('an unknown key is named, with the known ones', () => {
    expect(() => parseXPersist({ services: { app: { datas: ['/x'] } } }, services)).toThrow(
      'x-persist.services.app has an unknown key `datas` (known: data, ephemeral, seed, fingerprint, ready, backup, restore, verify, upgrade).',
    );
    expect(() => parseXPersist({ service: {} }, services)).toThrow('x-persist has an unknown key `service` (known: services).');
  });

  test('a data path must be absolute', () => {
    expect(() => parseXPersist({ services: { app: { data: ['data'] } } }, services)).toThrow(
      'x-persist.services.app.data.0 must be an absolute path in the container, not "data".',
    );
  });

  test('user probes and a backup procedure', () => {
    const block = {
      services: {
        app: { seed: 'app seed', fingerprint: 'app dump', ready: { log: 'listening' }, backup: './backup.sh', restore: './restore.sh' },
        db: { ready: { healthcheck: true } },
      },
    };
    expect(parseXPersist(block, services)).toEqual(block);
    expect(parseXPersist({ services: { app: { ready: 'test -e /run/app.pid' } } }, services)).toBeTruthy();
  });

  test('a seed without a fingerprint, or a backup without a restore, is named', () => {
    expect(() => parseXPersist({ services: { app: { seed: 'x' } } }, services)).toThrow(
      'x-persist.services.app needs both `seed` and `fingerprint` (it has only `seed`).',
    );
    expect(() => parseXPersist({ services: { app: { restore: 'x' } } }, services)).toThrow(
      'x-persist.services.app needs both `backup` and `restore` (it has only `restore`).',
    );
  });

  test('a ready setting of the wrong shape says what it takes', () => {
    expect(() => parseXPersist({ services: { app: { ready: { logs: 'x' } } } }, services)).toThrow(
      'x-persist.services.app.ready must be a command, { log: PATTERN } or { healthcheck: true }.',
    );
  });

  test("a backup's expectations take a query with bounds, or a file", () => {
    const verify = {
      expect: [{ sql: 'select count(*) from orders', min: 1000 }, { file: 'wp-content/uploads' }],
      fresh: { sql: 'select max(t) from orders', maxAge: '26h' },
    };
    expect(parseXPersist({ services: { app: { verify } } }, services)).toBeTruthy();
    expect(() => parseXPersist({ services: { app: { verify: { expect: [{ query: 'x' }] } } } }, services)).toThrow(
      'x-persist.services.app.verify.expect.0 must be { sql, min | max | equals } or { file }.',
    );
  });
});

describe('the upgrade image', () => {
  test('PERSIST_UPGRADE_<SERVICE> wins over x-persist, which wins over none', () => {
    const settings = { upgrade: { image: 'postgres:18' } };
    expect(upgradeImageOf('wordpress-db', settings, { PERSIST_UPGRADE_WORDPRESS_DB: 'mysql:9' })).toBe('mysql:9');
    expect(upgradeImageOf('wordpress-db', settings, {})).toBe('postgres:18');
    expect(upgradeImageOf('db', undefined, { PERSIST_UPGRADE_DB: '' })).toBeUndefined();
    expect(() => upgradeImageOf('mysql', undefined, { PERSIST_UPGRADE_MYSQL: 'mysql:8.0,mysql:8.4' })).toThrow(
      'PERSIST_UPGRADE_MYSQL is "mysql:8.0,mysql:8.4", and for `persist check` it names the one image service mysql is upgraded to.',
    );
  });
});
