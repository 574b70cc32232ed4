import { describe, expect, test } from 'vitest';
import type { DurabilitySetting } from './database-target.ts';
import { settingInCommand } from './durability-setting.ts';

const setting = (name: string, serverArgs: string[]): DurabilitySetting => ({
  name,
  serverArgs,
  keeps: { processCrash: true, powerCut: true },
  promise: name,
});
const redis = [
  setting('always', ['--appendonly', 'yes', '--appendfsync', 'always']),
  { ...setting('everysec', ['--appendonly', 'yes', '--appendfsync', 'everysec']), sameAs: [['--appendonly', 'yes']] },
];
const mysql = [setting('default', []), setting('2', ['--innodb-flush-log-at-trx-commit=2'])];

describe("a service's durability setting, read from its command", () => {
  test('the setting whose options the command gives', () => {
    expect(settingInCommand(['redis-server', '--appendonly', 'yes', '--appendfsync', 'everysec'], redis)?.name).toBe('everysec');
    expect(settingInCommand(['mysqld', '--innodb_flush_log_at_trx_commit=2'], mysql)?.name).toBe('2');
  });

  test("a setting the server's defaults imply, unless a more specific one is given", () => {
    expect(settingInCommand(['redis-server', '--appendonly', 'yes'], redis)?.name).toBe('everysec');
    expect(settingInCommand(['redis-server', '--appendonly', 'yes', '--appendfsync', 'always'], redis)?.name).toBe('always');
  });

  test("the image's own where the command names none; nothing where the server has no such setting", () => {
    expect(settingInCommand(null, mysql)?.name).toBe('default');
    expect(settingInCommand(['redis-server', '/etc/redis.conf'], redis)).toBeUndefined();
  });

  test('a value is not read into a longer one', () => {
    expect(settingInCommand(['mysqld', '--innodb-flush-log-at-trx-commit=20'], mysql)?.name).toBe('default');
  });
});
