import { describe, expect, test } from 'vitest';
import { CHECK_DATABASE, databaseLogin } from './database-login.ts';

describe('logging in to a database as the service was configured', () => {
  test('postgres: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB, with the image defaults', () => {
    expect(databaseLogin('postgres', { POSTGRES_PASSWORD: 'pw' }, null)).toEqual({ login: { user: 'postgres', password: 'pw', database: 'postgres' } });
    expect(databaseLogin('postgres', { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'pw' }, null)).toEqual({
      login: { user: 'app', password: 'pw', database: 'app' },
    });
    expect(databaseLogin('postgres', { POSTGRES_HOST_AUTH_METHOD: 'trust' }, null)).toEqual({
      login: { user: 'postgres', password: '', database: 'postgres' },
    });
    expect(databaseLogin('postgres', { POSTGRES_PASSWORD_FILE: '/run/secrets/pw' }, null)).toEqual({
      reason: 'its password is not in its environment (POSTGRES_PASSWORD_FILE?)',
    });
  });

  test("mysql and mariadb: root where its password is known (a database of the check's own when none is named), else the app's user", () => {
    expect(databaseLogin('mysql', { MYSQL_ROOT_PASSWORD: 'r', MYSQL_DATABASE: 'shop' }, null)).toEqual({
      login: { user: 'root', password: 'r', database: 'shop', createDatabase: false },
    });
    expect(databaseLogin('mysql', { MARIADB_ROOT_PASSWORD: 'r' }, null)).toEqual({
      login: { user: 'root', password: 'r', database: CHECK_DATABASE, createDatabase: true },
    });
    expect(databaseLogin('mysql', { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' }, null)).toMatchObject({ login: { user: 'root', password: '' } });
    expect(databaseLogin('mysql', { MYSQL_RANDOM_ROOT_PASSWORD: 'yes', MYSQL_USER: 'u', MYSQL_PASSWORD: 'p', MYSQL_DATABASE: 'd' }, null)).toEqual({
      login: { user: 'u', password: 'p', database: 'd' },
    });
    expect(databaseLogin('mysql', { MYSQL_RANDOM_ROOT_PASSWORD: 'yes' }, null)).toHaveProperty('reason');
  });

  test('redis: the password given to --requirepass, or none', () => {
    expect(databaseLogin('redis', {}, ['redis-server', '--requirepass', 's3cret'])).toEqual({
      login: { user: 'default', password: 's3cret', database: undefined },
    });
    expect(databaseLogin('redis', {}, null)).toEqual({ login: { user: 'default', password: '', database: undefined } });
  });

  test('a service that is no database the harness drives has no login', () => {
    expect(databaseLogin('wordpress', {}, null)).toBeUndefined();
  });
});
