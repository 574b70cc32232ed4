// The official wordpress image's contract, checked against the selected images (the Debian
// stand-ins with PERSIST_IMAGES=local), with the selected mysql image as its database.
import mysql2 from 'mysql2/promise';
import type { StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mappedPort } from '../../docker/containers.ts';
import { docker } from '../../docker/engine.ts';
import { preflight, scenarioKit } from '../../scenario-kit.ts';
import { install, isInstallRedirect, waitForSite } from './site.ts';
import { httpRequest } from '../../web/http.ts';
import { DB } from './wordpress-stack.ts';
import { contractImages, ensureContractImages, startLabelled } from '../../../test/images/contract-kit.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
beforeAll(async () => {
  await preflight(['mysql', 'wordpress']);
  await ensureContractImages(config, 'wordpress');
});
afterAll(() => scope.dispose());

for (const image of contractImages(config, 'wordpress')) checkContract(image);

function checkContract(image: string): void {
  async function database(network: string): Promise<StartedTestContainer> {
    return startLabelled(scope, config.images.mysql.reference, 'wordpress-contract-db', (c) =>
      c
        .withEnvironment({ MYSQL_ROOT_PASSWORD: DB.rootPassword, MYSQL_DATABASE: DB.name, MYSQL_USER: DB.user, MYSQL_PASSWORD: DB.password })
        .withNetworkMode(network)
        .withNetworkAliases(DB.alias)
        .withExposedPorts(3306),
    );
  }

  async function site(network: string, env: Record<string, string>, volume?: string): Promise<{ container: StartedTestContainer; url: string }> {
    const container = await startLabelled(scope, image, 'wordpress-contract-site', (c) => {
      const configured = c
        .withEnvironment({ WORDPRESS_DB_HOST: DB.alias, WORDPRESS_DB_USER: DB.user, WORDPRESS_DB_PASSWORD: DB.password, WORDPRESS_DB_NAME: DB.name, ...env })
        .withNetworkMode(network)
        .withExposedPorts(80);
      return volume ? configured.withBindMounts([{ source: volume, target: '/var/www/html' }]) : configured;
    });
    return { container, url: `http://${container.getHost()}:${await mappedPort(container.getId(), 80)}` };
  }

  describe(`wordpress image contract (${image})`, () => {
    test('files in /var/www/html, declared a volume; port 80', async () => {
      const info = await docker().getImage(image).inspect();
      expect(Object.keys(info.Config.Volumes ?? {})).toContain('/var/www/html');
      expect(Object.keys(info.Config.ExposedPorts ?? {})).toContain('80/tcp');
    });

    test('copies WordPress on first start, owned by www-data; WORDPRESS_TABLE_PREFIX and WORDPRESS_CONFIG_EXTRA apply', async () => {
      const network = await scope.createNetwork('wordpress-contract');
      const db = await database(network);
      const { container, url } = await site(network, {
        WORDPRESS_TABLE_PREFIX: 'contract_',
        WORDPRESS_CONFIG_EXTRA: "header('X-Config-Extra: applied');",
      });
      const first = await waitForSite(url, 120_000);
      expect(isInstallRedirect(first)).toBe(true);
      const owner = await container.exec(['stat', '-c', '%u', '/var/www/html/index.php', '/var/www/html/wp-config.php']);
      expect(owner.output.trim().split('\n')).toEqual(['33', '33']);

      await install(url);
      const connection = await mysql2.createConnection({
        host: db.getHost(),
        port: await mappedPort(db.getId(), 3306),
        user: 'root',
        password: DB.rootPassword,
        database: DB.name,
      });
      try {
        const [tables] = await connection.query<mysql2.RowDataPacket[]>("SHOW TABLES LIKE 'contract\\_posts'");
        expect(tables).toHaveLength(1);
      } finally {
        connection.destroy();
      }
      const home = await fetch(`${url}/`, { redirect: 'manual' });
      expect(home.headers.get('x-config-extra')).toBe('applied');
    });

    test('keeps the files and the wp-config.php it finds: nothing is copied over them', async () => {
      const network = await scope.createNetwork('wordpress-contract');
      await database(network);
      const volume = await scope.createVolume('wordpress-contract-files');
      const first = await site(network, {}, volume);
      await waitForSite(first.url, 120_000);
      await first.container.exec(['sh', '-c', "echo '<?php echo \"kept\";' > /var/www/html/kept.php && echo '// mine' >> /var/www/html/wp-config.php"]);
      await first.container.stop({ timeout: 10_000 });

      // A new container on the same files: what it finds there stays as it was.
      const second = await site(network, {}, volume);
      await waitForSite(second.url, 120_000);
      expect((await httpRequest(`${second.url}/kept.php`)).body.toString()).toBe('kept');
      const config = await second.container.exec(['tail', '-n', '1', '/var/www/html/wp-config.php']);
      expect(config.output.trim()).toBe('// mine');
    });
  });
}
