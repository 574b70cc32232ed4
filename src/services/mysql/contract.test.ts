// The official mysql image's contract, checked against the selected image (the MariaDB
// stand-in with PERSIST_IMAGES=local): the promises the scenarios rely on, and no others.
import mysql2 from 'mysql2/promise';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mappedPort, readLogs, stopGracefully } from '../../docker/containers.ts';
import { docker } from '../../docker/engine.ts';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { shutdownLoggedClean } from '../../targets/shutdown-evidence.ts';
import { mysql } from './driver.ts';
import { contractImages, ensureContractImages, refusalOf, startLabelled, untilAnswered, type Configure } from '../../../test/images/contract-kit.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
beforeAll(async () => {
  await preflight(['mysql']);
  await ensureContractImages(config, 'mysql');
});
afterAll(() => scope.dispose());

for (const image of contractImages(config, 'mysql')) checkContract(image);

function checkContract(image: string): void {
  const start = (env: Record<string, string>, configure: Configure = (c) => c) =>
    startLabelled(scope, image, 'mysql-contract', (c) => configure(c.withEnvironment(env).withExposedPorts(3306)));

  async function query(container: StartedTestContainer, sql: string, login: { user: string; password: string; database?: string }) {
    const port = await mappedPort(container.getId(), 3306);
    return untilAnswered(
      async () => {
        const connection = await mysql2.createConnection({ host: container.getHost(), port, connectTimeout: 2_000, ...login });
        try {
          const [rows] = await connection.query(sql);
          return rows;
        } finally {
          connection.destroy();
        }
      },
      // A refused login or an unknown database is an answer, not "not ready yet".
      (error) => /Access denied|Unknown database/.test(String(error)),
      90_000,
    );
  }

  describe(`mysql image contract (${image})`, () => {
    test('data in /var/lib/mysql, declared a volume; port 3306', async () => {
      const info = await docker().getImage(image).inspect();
      expect(Object.keys(info.Config.Volumes ?? {})).toContain('/var/lib/mysql');
      expect(Object.keys(info.Config.ExposedPorts ?? {})).toContain('3306/tcp');
    });

    test('refuses to initialise without a root password option', async () => {
      const { code, logs } = await refusalOf(scope, image, 'mysql-contract', {});
      expect(code).not.toBe(0);
      expect(logs).toContain('MYSQL_ROOT_PASSWORD');
    });

    test('MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD (from a _FILE), root over TCP only with the right password', async () => {
      const container = await start(
        { MYSQL_ROOT_PASSWORD: 'root-pw', MYSQL_DATABASE: 'appdb', MYSQL_USER: 'app', MYSQL_PASSWORD_FILE: '/run/app-password' },
        (c) => c.withCopyContentToContainer([{ content: 'app-pw', target: '/run/app-password' }]),
      );
      expect(await query(container, 'SELECT DATABASE() AS db', { user: 'app', password: 'app-pw', database: 'appdb' })).toEqual([{ db: 'appdb' }]);
      expect(await query(container, 'SELECT 1 AS one', { user: 'root', password: 'root-pw' })).toEqual([{ one: 1 }]);
      await expect(query(container, 'SELECT 1', { user: 'root', password: 'wrong' })).rejects.toThrow(/Access denied/);
      await expect(query(container, 'SELECT 1', { user: 'root', password: '' })).rejects.toThrow(/Access denied/);
    });

    test('initdb.d runs once, on an empty data directory only; the server is PID 1 and stops cleanly', async () => {
      const volume = await scope.createVolume('contract-mysql-data');
      const initScript = 'CREATE TABLE IF NOT EXISTS init_runs (id INT AUTO_INCREMENT PRIMARY KEY);\nINSERT INTO init_runs () VALUES ();\n';
      const withData = (c: GenericContainer) =>
        c
          .withBindMounts([{ source: volume, target: '/var/lib/mysql' }])
          .withCopyContentToContainer([{ content: initScript, target: '/docker-entrypoint-initdb.d/10-mark.sql' }]);
      const login = { user: 'root', password: 'root-pw', database: 'appdb' };

      const first = await start({ MYSQL_ROOT_PASSWORD: 'root-pw', MYSQL_DATABASE: 'appdb' }, withData);
      expect(await query(first, 'SELECT COUNT(*) AS runs FROM init_runs', login)).toEqual([{ runs: 1 }]);
      const pid1 = await first.exec(['cat', '/proc/1/comm']);
      expect(pid1.output.trim()).toMatch(/^(mysqld|mariadbd)$/);
      const stopped = await stopGracefully(first.getId());
      expect(stopped.exitCode).toBe(0);
      // Only the stop after the server was ready counts: initialisation stops a temporary server cleanly too.
      expect(shutdownLoggedClean(mysql, await readLogs(first.getId()))).toBe(true);

      // On existing data every MYSQL_* variable is ignored: the old root password still works.
      const second = await start({ MYSQL_ROOT_PASSWORD: 'ignored-now', MYSQL_DATABASE: 'appdb' }, withData);
      expect(await query(second, 'SELECT COUNT(*) AS runs FROM init_runs', login)).toEqual([{ runs: 1 }]);
    });
  });
}
