// `persist verify` holds a restore to the whole database, not its rows: a shop with an object of
// every kind is dumped the way teams dump it, then dumped again from a changed source (a view
// dropped, a procedure dropped, a sequence set back, mariadb-dump's defaults that leave routines
// and events out), and each of those must fail, the object named. And the application: WordPress
// started on a restored site's dump must come up on it, and must not on a dump without wp_options.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectHost } from '../../src/docker/host-only-container.ts';
import { install, publishPost } from '../../src/services/wordpress/site.ts';
import { startSeedServer } from './seed-server.ts';
import { OBJECT_KINDS } from '../../src/data/inventory.ts';
import { deadlineIn, sleep } from '../../src/timing/clock.ts';
import { verifyRun } from './verify-run.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const LOCAL = loadConfig().imageSet === 'local';
const POSTGRES = LOCAL ? 'persistence-harness/postgres:15' : 'postgres:15';
const MARIADB = LOCAL ? 'persistence-harness/mysql:10.11' : 'mariadb:10.11';
const WORDPRESS = LOCAL ? 'persistence-harness/wordpress:6.1' : 'wordpress:6';
const LABEL = 'persistence-harness.test=verify-objects';
const MARIADB_ENV = ['MARIADB_ROOT_PASSWORD=seed', 'MYSQL_ROOT_PASSWORD=seed'];
let scratch = '';
const dumps: Record<string, string> = {};

const server = (image: string, env: string[], ready: string, more: string[] = []) => startSeedServer(image, env, ready, ['--label', LABEL, ...more]);

async function dumpTo(id: string, script: string, file: string): Promise<string> {
  const { stdout } = await execa('docker', ['exec', id, 'sh', '-c', script], { encoding: 'buffer', stripFinalNewline: false });
  dumps[file] = join(scratch, file);
  await writeFile(dumps[file], stdout, { mode: 0o444 });
  return dumps[file];
}

const PG_READY = 'pg_isready -q -h 127.0.0.1';
const MARIADB_READY = 'mariadb-admin ping --silent -h 127.0.0.1 --protocol=tcp';
const psql = (id: string, sql: string) =>
  execa('docker', ['exec', '-i', id, 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop'], { input: sql });
const mariadb = (id: string, sql: string, database = 'shop') => execa('docker', ['exec', '-i', id, 'mariadb', '-uroot', '-pseed', database], { input: sql });

/** A WordPress site as a team runs one: installed, a post published, its database dumped whole and without wp_options. */
async function wordpressSite(): Promise<void> {
  const network = `verify-objects-${process.pid}`;
  await execa('docker', ['network', 'create', '--label', LABEL, network]);
  const site = [
    'MARIADB_DATABASE=wordpress',
    'MYSQL_DATABASE=wordpress',
    'MARIADB_USER=wp',
    'MYSQL_USER=wp',
    'MARIADB_PASSWORD=wp-secret',
    'MYSQL_PASSWORD=wp-secret',
  ];
  const db = await server(MARIADB, [...MARIADB_ENV, ...site], MARIADB_READY, ['--network', network, '--network-alias', 'db']);
  const web = await server(
    WORDPRESS,
    ['WORDPRESS_DB_HOST=db', 'WORDPRESS_DB_USER=wp', 'WORDPRESS_DB_PASSWORD=wp-secret', 'WORDPRESS_DB_NAME=wordpress'],
    'test -f /var/www/html/wp-settings.php',
    ['--network', network, '-p', '80'],
  );
  const port = (await execa('docker', ['port', web, '80/tcp'])).stdout.split('\n')[0]!.split(':').pop();
  const url = `http://${await connectHost()}:${port}`;
  const deadline = deadlineIn(60_000);
  while (
    !(await fetch(`${url}/wp-admin/install.php`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (deadline.passed()) throw new Error('WordPress did not answer');
    await sleep(500);
  }
  await install(url);
  await publishPost(url, 'Restored on a bad day', 'Every order since the backup.');
  await dumpTo(db, 'mariadb-dump -uroot -pseed wordpress', 'site.sql');
  await dumpTo(db, 'mariadb-dump -uroot -pseed --ignore-table=wordpress.wp_options wordpress', 'site-without-options.sql');
  await execa('docker', ['rm', '-fv', db, web]);
  await execa('docker', ['network', 'rm', network]);
  // The project as it sits in the team's repository: the database and the site that uses it.
  const extra = "define('WP_HOME', 'http://' . $$_SERVER['HTTP_HOST']); define('WP_SITEURL', 'http://' . $$_SERVER['HTTP_HOST']);";
  await writeFile(
    join(scratch, 'compose.yaml'),
    `services:\n  db:\n    image: ${MARIADB}\n    environment:\n${[...MARIADB_ENV, ...site].map((e) => `      - ${e}`).join('\n')}\n    volumes: [db:/var/lib/mysql]\n  web:\n    image: ${WORDPRESS}\n    depends_on: [db]\n    ports: ["8080:80"]\n    environment:\n      WORDPRESS_DB_HOST: db\n      WORDPRESS_DB_USER: wp\n      WORDPRESS_DB_PASSWORD: wp-secret\n      WORDPRESS_DB_NAME: wordpress\n      WORDPRESS_CONFIG_EXTRA: ${JSON.stringify(extra)}\n    volumes: [site:/var/www/html]\nvolumes:\n  db: {}\n  site: {}\n`,
  );
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-verify-objects-'));
  const [pg, my] = await Promise.all([
    server(POSTGRES, ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop'], PG_READY),
    server(MARIADB, [...MARIADB_ENV, 'MARIADB_DATABASE=shop', 'MYSQL_DATABASE=shop'], MARIADB_READY),
  ]);
  await psql(pg, await readFile(join(ROOT, 'test/fixtures/verify/shop-objects-postgres.sql'), 'utf8'));
  await dumpTo(pg, 'pg_dump -U postgres -Fc shop', 'shop.dump');
  await psql(pg, 'DROP VIEW reporting.order_totals;');
  await dumpTo(pg, 'pg_dump -U postgres -Fc shop', 'shop-without-view.dump');
  await psql(pg, "SELECT setval('orders_id_seq', 1);");
  await dumpTo(pg, 'pg_dump -U postgres -Fc shop', 'shop-sequence-behind.dump');
  await mariadb(my, await readFile(join(ROOT, 'test/fixtures/verify/shop-objects-mariadb.sql'), 'utf8'));
  await dumpTo(my, 'mariadb-dump -uroot -pseed --routines --events shop', 'shop-full.sql');
  // The seed's own command: `mysqldump -u root -p mydb > backup.sql`.
  await dumpTo(my, 'mysqldump -uroot -pseed shop', 'shop-defaults.sql');
  await mariadb(my, 'DROP PROCEDURE apply_discount;');
  await dumpTo(my, 'mariadb-dump -uroot -pseed --routines --events shop', 'shop-without-procedure.sql');
  await execa('docker', ['rm', '-fv', pg, my]);
  await wordpressSite();
}, 300_000);

afterAll(async () => {
  const ids = (await execa('docker', ['ps', '-aq', '--filter', `label=${LABEL}`])).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await execa('docker', ['rm', '-fv', ...ids], { reject: false });
  await execa('docker', ['network', 'rm', `verify-objects-${process.pid}`], { reject: false });
  await rm(scratch, { recursive: true, force: true });
});

const verify = (args: string[]) => verifyRun(scratch, args);

/**
 * Compared with a baseline for its objects: the recovery's time, which the suite's concurrent load
 * makes slower at random, is not what these cases judge (test/cli/verify.test.ts judges it).
 */
function against(baseline: string): string[] {
  return ['--baseline', baseline, '--regression-percent', '1000'];
}

describe('persist verify: the whole database', () => {
  test('a PostgreSQL dump restores every kind of object, listed from the catalogues; a view dropped since the baseline, and a sequence set back, each fail, named', async () => {
    const full = await verify(['--from', dumps['shop.dump']!, '--image', POSTGRES]);
    expect(full.exitCode, full.stdout + full.stderr).toBe(0);
    const kinds = new Set(full.verify.inventory!.objects.map((o) => o.kind));
    // Every kind PostgreSQL has (aggregates aside, which the shop has none of).
    for (const kind of OBJECT_KINDS.filter((k) => !['aggregate', 'event', 'key-type'].includes(k))) expect(kinds, kind).toContain(kind);
    expect(full.verify.inventory!.sequences).toContainEqual(
      expect.objectContaining({ name: 'public.orders_id_seq', next: 5001, feeds: expect.objectContaining({ highest: 5000 }) }),
    );
    expect(await readFile(join(full.out, 'report.md'), 'utf8')).toContain('What the database holds besides rows');

    const withoutView = await verify(['--from', dumps['shop-without-view.dump']!, '--image', POSTGRES, ...against(full.file)]);
    expect(withoutView.exitCode).toBe(1);
    expect(withoutView.verify.problems).toEqual([
      expect.stringMatching(/^shop\.reporting\.order_totals \(view\) was in the baseline .* and is not in this restore\.$/),
    ]);

    const behind = await verify(['--from', dumps['shop-sequence-behind.dump']!, '--image', POSTGRES]);
    expect(behind.exitCode).toBe(1);
    expect(behind.verify.problems).toEqual([
      expect.stringMatching(
        /^The sequence shop\.public\.orders_id_seq would give 2 next, and public\.orders\.id already holds 5,000: .*duplicate key.*SELECT setval\('public\.orders_id_seq', \(SELECT max\(id\) FROM public\.orders\)\);$/,
      ),
    ]);
  });

  test("MariaDB: the seed's mysqldump keeps the trigger and the view and loses the routines and the event; a procedure dropped since the baseline fails, named; expectations name objects", async () => {
    const expectations = join(scratch, 'objects.yaml');
    await writeFile(
      expectations,
      'expect:\n  - object: procedure apply_discount\n  - objects: { triggers: { min: 1 }, events: { equals: 1 }, views: { min: 1 } }\n',
    );
    const full = await verify(['--from', dumps['shop-full.sql']!, '--image', MARIADB, '--expect', expectations]);
    expect(full.exitCode, full.stdout + full.stderr).toBe(0);
    expect(full.verify.expectations.map((e) => [e.expectation, e.passed])).toEqual([
      ['procedure apply_discount exists', true],
      ['triggers ≥ 1', true],
      ['events = 1', true],
      ['views ≥ 1', true],
    ]);

    const defaults = await verify(['--from', dumps['shop-defaults.sql']!, '--image', MARIADB, ...against(full.file)]);
    expect(defaults.exitCode).toBe(1);
    expect(defaults.verify.drift?.objects.map((o) => `${o.kind} ${o.name}`).sort()).toEqual([
      'event purge_audit',
      'function order_count',
      'procedure apply_discount',
    ]);
    const heldToObjects = await verify(['--from', dumps['shop-defaults.sql']!, '--image', MARIADB, '--expect', expectations]);
    expect(heldToObjects.verify.problems).toEqual([
      'Expected procedure apply_discount exists; observed no procedure apply_discount.',
      'Expected events = 1; observed 0.',
    ]);

    const withoutProcedure = await verify(['--from', dumps['shop-without-procedure.sql']!, '--image', MARIADB, ...against(full.file)]);
    expect(withoutProcedure.exitCode).toBe(1);
    expect(withoutProcedure.verify.problems).toEqual([
      expect.stringMatching(/^shop\.apply_discount \(procedure\) was in the baseline .* and is not in this restore\.$/),
    ]);
  });
});

describe('persist verify: the application on the restored data', () => {
  test('WordPress started as the project configures it comes up on the restored site; on a dump without wp_options it answers HTTP 500 (its database error page), and the verification fails, naming it', async () => {
    const project = ['-f', join(scratch, 'compose.yaml'), '--service', 'db', '--app', 'web'];
    const site = await verify(['--from', dumps['site.sql']!, ...project]);
    expect(site.exitCode, site.stdout + site.stderr).toBe(0);
    expect(site.verify.app).toEqual([
      expect.objectContaining({ service: 'web', cameUp: true, by: 'port', detail: expect.stringMatching(/HTTP 200 .*Persistence harness/) }),
    ]);

    const broken = await verify(['--from', dumps['site-without-options.sql']!, ...project]);
    expect(broken.exitCode).toBe(1);
    // WordPress's front page says only "Error establishing a database connection" when a table is missing (its admin names the tables).
    expect(broken.verify.app?.[0]).toMatchObject({ cameUp: false, detail: expect.stringMatching(/HTTP 500 .*"Database Error"/) });
    expect(broken.verify.problems).toEqual([expect.stringMatching(/^The application's service web did not come up on the restored data: it answers HTTP 500/)]);
    expect(broken.stdout).not.toContain('wp-secret');
  });
});

describe('persist verify --app --build', () => {
  const built = `persist-example/verify-worker:${process.pid}`;
  afterAll(async () => {
    // --build made the project's image, as `docker compose build` would; the test removes its own.
    await execa('docker', ['image', 'rm', '--force', built], { reject: false });
  });

  test('an app service whose image is not built yet is one sentence naming --build; with --build it is built, started on the restore, and judged by its healthcheck', async () => {
    const project = join(scratch, 'worker-project');
    await mkdir(join(project, 'worker'), { recursive: true });
    const toolbox = loadConfig().images.toolbox.reference;
    await writeFile(join(project, 'worker', 'Dockerfile'), `FROM ${toolbox}\nCMD ["sh", "-c", "trap exit TERM; while :; do sleep 1; done"]\n`);
    await writeFile(
      join(project, 'compose.yaml'),
      `services:\n  db:\n    image: ${MARIADB}\n    environment:\n${MARIADB_ENV.map((e) => `      - ${e}`).join('\n')}\n    volumes: [db:/var/lib/mysql]\n  worker:\n    build: ./worker\n    image: ${built}\n    depends_on: [db]\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1s\n      start_period: 1s\nvolumes:\n  db: {}\n`,
    );
    const args = ['--from', dumps['shop-full.sql']!, '-f', join(project, 'compose.yaml'), '--service', 'db', '--app', 'worker'];
    const refused = await verify(args);
    expect(refused.exitCode).toBe(2);
    expect(refused.report.harnessErrors).toEqual([
      `The image ${built} of worker is not on this machine, and verify neither builds nor pulls a project's images unless told. Run \`docker compose build worker\` in the project first, or add --build.`,
    ]);
    const started = await verify([...args, '--build']);
    expect(started.exitCode, started.stdout + started.stderr).toBe(0);
    expect(started.verify.app).toEqual([expect.objectContaining({ service: 'worker', cameUp: true, by: 'healthcheck' })]);
  });
});
