// The official postgres image's contract, checked against the selected image (the stand-in
// with PERSIST_IMAGES=local): a scenario may rely on exactly these promises and no others.
import pg from 'pg';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker } from '../../docker/engine.ts';
import { mappedPort, readLogs, startExisting, stopGracefully } from '../../docker/containers.ts';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { shutdownLoggedClean } from '../../targets/shutdown-evidence.ts';
import { postgres } from './driver.ts';
import {
  contractImages,
  ensureContractImages,
  refusalOf,
  startLabelled,
  untilAnswered,
  waitForExit,
  type Configure,
} from '../../../test/images/contract-kit.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
beforeAll(async () => {
  await preflight(['postgres']);
  await ensureContractImages(config, 'postgres');
});
afterAll(() => scope.dispose());

for (const image of contractImages(config, 'postgres')) checkContract(image);
checkNewLayout(config.upgrades['moved-data-path'].to);

function checkContract(image: string): void {
  const start = (env: Record<string, string>, configure: Configure = (c) => c) =>
    startLabelled(scope, image, 'postgres-contract', (c) => configure(c.withEnvironment(env).withExposedPorts(5432)));

  async function query(container: StartedTestContainer, sql: string, login: { user: string; password?: string; database: string }) {
    const port = await mappedPort(container.getId(), 5432);
    return untilAnswered(
      async () => {
        const client = new pg.Client({ host: container.getHost(), port, ...login });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return (await client.query(sql)).rows;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      // Authentication and missing-object errors are answers, not "not ready yet".
      (error) => /password authentication failed|does not exist/.test(String(error)),
    );
  }

  describe(`postgres image contract (${image})`, () => {
    test('image metadata: PGDATA, stop signal, port', async () => {
      const info = await docker().getImage(image).inspect();
      expect(info.Config.Env).toContain('PGDATA=/var/lib/postgresql/data');
      // @types/dockerode leaves StopSignal out of the image config; the engine sends it.
      expect((info.Config as { StopSignal?: string }).StopSignal).toBe('SIGINT');
      expect(Object.keys(info.Config.ExposedPorts ?? {})).toContain('5432/tcp');
    });

    test('refuses to initialise without POSTGRES_PASSWORD', async () => {
      const { code, logs } = await refusalOf(scope, image, 'postgres-contract', {});
      expect(code).not.toBe(0);
      expect(logs).toContain('POSTGRES_PASSWORD');
    });

    test('POSTGRES_HOST_AUTH_METHOD=trust allows connecting without a password', async () => {
      const container = await start({ POSTGRES_HOST_AUTH_METHOD: 'trust' });
      expect(await query(container, 'SELECT 1 AS one', { user: 'postgres', database: 'postgres' })).toEqual([{ one: 1 }]);
    });

    test('POSTGRES_USER and POSTGRES_DB are created, and only the right password gets in over TCP', async () => {
      const container = await start({ POSTGRES_PASSWORD: 'right', POSTGRES_USER: 'app', POSTGRES_DB: 'appdb' });
      const rows = await query(container, 'SELECT current_user AS who, current_database() AS db', { user: 'app', password: 'right', database: 'appdb' });
      expect(rows).toEqual([{ who: 'app', db: 'appdb' }]);
      await expect(query(container, 'SELECT 1', { user: 'app', password: 'wrong', database: 'appdb' })).rejects.toThrow(/password authentication failed/);
    });

    test('initdb.d runs once, on an empty data directory only; the server is PID 1 and stops cleanly', async () => {
      const volume = await scope.createVolume('contract-data');
      const initScript = 'CREATE TABLE IF NOT EXISTS init_runs (id serial PRIMARY KEY);\nINSERT INTO init_runs DEFAULT VALUES;\n';
      const withData = (c: GenericContainer) =>
        c
          .withBindMounts([{ source: volume, target: '/var/lib/postgresql/data' }])
          .withCopyContentToContainer([{ content: initScript, target: '/docker-entrypoint-initdb.d/10-mark.sql' }]);
      const login = { user: 'postgres', password: 'secret', database: 'postgres' };

      const first = await start({ POSTGRES_PASSWORD: 'secret' }, withData);
      expect(await query(first, 'SELECT count(*)::int AS runs FROM init_runs', login)).toEqual([{ runs: 1 }]);
      const pid1 = await first.exec(['cat', '/proc/1/comm']);
      expect(pid1.output.trim()).toBe('postgres');

      const stopped = await stopGracefully(first.getId());
      expect(stopped.exitCode).toBe(0);
      // Only the stop after the server was ready counts: initialisation stops a temporary server cleanly too.
      expect(shutdownLoggedClean(postgres, await readLogs(first.getId()))).toBe(true);

      // Restart the same container, then a new one on the same volume: init must not run again.
      await startExisting(first.getId());
      expect(await query(first, 'SELECT count(*)::int AS runs FROM init_runs', login)).toEqual([{ runs: 1 }]);
      const restartLogs = await readLogs(first.getId());
      expect(restartLogs).not.toMatch(/redo starts|was interrupted/);
      await stopGracefully(first.getId());

      const second = await start({ POSTGRES_PASSWORD: 'a-different-password-is-ignored' }, withData);
      expect(await query(second, 'SELECT count(*)::int AS runs FROM init_runs', login)).toEqual([{ runs: 1 }]);
      expect(await readLogs(second.getId())).toMatch(/Skipping initialization/);
    });
  });
}

/**
 * postgres 18's layout: VOLUME /var/lib/postgresql, PGDATA in a major-version folder below it.
 * A mount at the old path would leave the data unused, so the entrypoint refuses to start.
 */
function checkNewLayout(image: string): void {
  const env = { POSTGRES_PASSWORD: 'secret' };
  const start = (configure: Configure) =>
    startLabelled(scope, image, 'postgres-layout-contract', (c) => configure(c.withEnvironment(env).withExposedPorts(5432)));
  /** A container expected to refuse and exit: no published port, which testcontainers would wait for after it is gone. */
  const startRefusing = (configure: Configure) => startLabelled(scope, image, 'postgres-layout-contract', (c) => configure(c.withEnvironment(env)));

  describe(`postgres 18+ data layout (${image})`, () => {
    test('PGDATA lies below the one declared VOLUME, /var/lib/postgresql', async () => {
      const info = await docker().getImage(image).inspect();
      expect(Object.keys(info.Config.Volumes ?? {})).toEqual(['/var/lib/postgresql']);
      const pgdata = (info.Config.Env ?? []).find((line) => line.startsWith('PGDATA='));
      expect(pgdata).toMatch(/^PGDATA=\/var\/lib\/postgresql\/[^/]+\/docker$/);
    });

    test('an empty volume at the old path /var/lib/postgresql/data is refused, not silently left unused', async () => {
      const volume = await scope.createVolume('old-path');
      const container = await startRefusing((c) => c.withBindMounts([{ source: volume, target: '/var/lib/postgresql/data' }]));
      const { code, logs } = await waitForExit(container);
      expect(code).not.toBe(0);
      expect(logs).toContain('/var/lib/postgresql/data (unused mount/volume)');
      expect(logs).toContain('The suggested container configuration for 18+ is to place a single mount');
    });

    test('a volume mounted at /var/lib/postgresql keeps the cluster in a subdirectory of it', async () => {
      const volume = await scope.createVolume('new-path');
      const container = await start((c) => c.withBindMounts([{ source: volume, target: '/var/lib/postgresql' }]));
      const port = await mappedPort(container.getId(), 5432);
      const rows = await untilAnswered(
        async () => {
          const client = new pg.Client({ host: container.getHost(), port, user: 'postgres', password: 'secret', database: 'postgres' });
          client.on('error', () => undefined);
          try {
            await client.connect();
            return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows;
          } finally {
            await client.end().catch(() => undefined);
          }
        },
        () => false,
      );
      expect(rows[0]?.data_directory).toMatch(/^\/var\/lib\/postgresql\/[^/]+\/docker$/);
    });
  });
}
