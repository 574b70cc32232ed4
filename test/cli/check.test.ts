// `persist check` end to end on the worked examples: a copy of each project run through
// restart, kill, up --force-recreate, down + up, an upgrade, the user's backup and restore, and
// down -v + up by Compose, every data path probed, every cell judged against what the user
// needs and what the audit predicted.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { CheckReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { deadlineIn, sleep, stopwatch } from '../../src/timing/clock.ts';
import { type LocalRegistry, startLocalRegistry } from '../stack/local-registry.ts';
import { parse, stringify } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMAGES = loadConfig().imageSet === 'local' ? ['--env-file', 'examples/compose/stand-ins.env'] : [];
const docker = new Docker();
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-check-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function check(file: string, more: string[] = [], env: Record<string, string> = {}, args: string[] = []) {
  const out = join(scratch, [file, ...more, ...args].join('-').replace(/\W+/g, '-'));
  const watch = stopwatch();
  const files = [file, ...more].flatMap((f) => ['-f', f]);
  const result = await execa(process.execPath, ['bin/persist.js', 'check', ...files, ...IMAGES, ...args, '--out', out], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1', ...env },
  });
  const report =
    result.exitCode === 2 && !result.stdout.includes('report:') ? undefined : (JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as CheckReport);
  return { ...result, out, report, seconds: (watch.ms() / 1000).toFixed(1) };
}

/** Nothing of the copy remains: no container, volume or network of its project. */
async function copyLeftovers(project: string) {
  const label = { label: [`com.docker.compose.project=${project}`] };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: label }),
    docker.listVolumes(),
    docker.listNetworks({ filters: label }),
  ]);
  const ours: string[] = [];
  for (const network of networks) {
    // A network the engine itself refuses to remove, for an endpoint no container holds any more
    // (moby#42119), is the engine's fault and the check says so; one that can be removed was ours to remove.
    const removed = await docker
      .getNetwork(network.Id)
      .remove()
      .then(
        () => true,
        () => false,
      );
    const held = !removed && Object.keys(((await docker.getNetwork(network.Id).inspect()) as { Containers?: object }).Containers ?? {}).length === 0;
    if (held) console.warn(`the engine holds network ${network.Name} for a stale endpoint`);
    else ours.push(network.Name);
  }
  return [...containers.map((c) => c.Id), ...(volumes.Volumes ?? []).filter((v) => v.Name.startsWith(`${project}_`)).map((v) => v.Name), ...ours];
}

/** Loop devices still attached whose backing file lies under the run's temp folder. */
async function attachedDisksOf(runId: string): Promise<string[]> {
  const loops = (await readdir('/sys/block')).filter((name) => name.startsWith('loop'));
  const backing = await Promise.all(loops.map((name) => readFile(`/sys/block/${name}/loop/backing_file`, 'utf8').catch(() => '')));
  return backing.filter((file) => runId !== '' && file.includes(runId));
}

/**
 * Collects, while a check runs, the anonymous volumes of its copy's containers (they carry no
 * labels, so nothing else can find them afterwards); stop() returns those still on the engine.
 */
function watchAnonymousVolumes(composeFile: string) {
  const seen = new Set<string>();
  const projects = new Set<string>();
  let running = true;
  const poll = (async () => {
    while (running) {
      const containers = await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } });
      // The copies of this test's own project only: another file's check may run beside it.
      const copies = containers.filter(
        (c) =>
          c.Labels['com.docker.compose.project']?.startsWith('persist-check-') &&
          (c.Labels['com.docker.compose.project.config_files'] ?? '').split(',').includes(composeFile),
      );
      for (const container of copies) {
        projects.add(container.Labels['com.docker.compose.project'] ?? '');
        for (const mount of container.Mounts) if (mount.Type === 'volume' && /^[0-9a-f]{64}$/.test(mount.Name ?? '')) seen.add(mount.Name ?? '');
      }
      await sleep(250);
    }
  })();
  return {
    /** How many it saw, those still there, and the copies' project names. */
    async stop(): Promise<{ seen: number; remaining: string[]; projects: string[] }> {
      running = false;
      await poll;
      const now = new Set(((await docker.listVolumes()).Volumes ?? []).map((volume) => volume.Name));
      return { seen: seen.size, remaining: [...seen].filter((name) => now.has(name)), projects: [...projects] };
    },
  };
}

/**
 * Every cell the good example owes: four data paths, a dataset in each of the three databases and
 * the WordPress site over HTTP, through restart, kill, force-recreate, down + up and down -v; the
 * upgraded database once more.
 */
const GOOD_CELLS = [
  ...['restart', 'kill', 'up --force-recreate', 'down + up', 'down -v + up'].flatMap((lifecycle) =>
    [
      'db /var/lib/postgresql/data file',
      'db /var/lib/postgresql/data dataset',
      'wordpress-db /var/lib/mysql file',
      'wordpress-db /var/lib/mysql dataset',
      'wordpress /var/www/html/wp-content file',
      'wordpress /var/www/html/wp-content site',
      'cache /data file',
      'cache /data dataset',
    ].map((cell) => `${cell} ${lifecycle}`),
  ),
  'wordpress-db /var/lib/mysql file upgrade',
  'wordpress-db /var/lib/mysql dataset upgrade',
].sort();

describe('persist check on the worked examples', () => {
  test('good: every data path, dataset and the site keep their data through every disruption, and down -v empties them, as predicted', async () => {
    // The tutorial's database upgraded as the upgrade drills do it (MariaDB 10.11 to 11.8 in place for the stand-ins).
    const upgrade = { PERSIST_UPGRADE_WORDPRESS_DB: IMAGES.length > 0 ? 'persistence-harness/mysql:11.8' : 'mysql:9' };
    const result = await check('examples/compose/good/compose.yaml', [], upgrade);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const cells = result.report?.check?.cells ?? [];
    expect(reportProblems(result.report)).toEqual([]);
    expect(result.report?.harnessErrors).toEqual([]);
    // The full cell set: not one cell may be absent.
    expect(cells.map((cell) => `${cell.service} ${cell.path} ${cell.probe} ${cell.lifecycle}`).sort()).toEqual(GOOD_CELLS);
    const site = cells.filter((cell) => cell.probe === 'site');
    expect(site.map((cell) => cell.observed)).toEqual(['kept', 'kept', 'kept', 'kept', 'lost']);
    expect(site[0]?.evidence.join(' ')).toMatch(/media → 200, plugin → 200/);
    expect(cells.filter((cell) => cell.status === 'failed' || cell.surprise)).toEqual([]);
    expect(cells.filter((cell) => cell.lifecycle === 'down -v + up').every((cell) => cell.observed === 'lost')).toBe(true);
    expect(cells.filter((cell) => cell.lifecycle === 'upgrade').map((cell) => `${cell.service} ${cell.probe} ${cell.observed}`)).toEqual([
      'wordpress-db file kept',
      'wordpress-db dataset kept',
    ]);
    // The kill landed on databases committing: every acknowledged write was there after it.
    const kills = cells.filter((cell) => cell.lifecycle === 'kill' && cell.probe === 'dataset');
    expect(kills.map((cell) => cell.service).sort()).toEqual(['cache', 'db', 'wordpress-db']);
    for (const cell of kills) expect(cell.writes?.acknowledged, cell.service).toBeGreaterThan(0);
    for (const cell of kills) expect(cell.writes?.lost, cell.service).toBe(0);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    console.info(`check good: exit 0 in ${result.seconds} s`);
  });

  test('pitfalls: each loss observed exactly where the audit predicted it, and nowhere else', async () => {
    const anonymous = watchAnonymousVolumes(join(ROOT, 'examples/compose/pitfalls/compose.yaml'));
    const result = await check('examples/compose/pitfalls/compose.yaml');
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
    // A failing run leaves nothing either: the anonymous volumes of every down included.
    const volumes = await anonymous.stop();
    expect(volumes.seen).toBeGreaterThan(0);
    expect(volumes.remaining).toEqual([]);
    const cells = result.report?.check?.cells ?? [];
    expect(cells.filter((cell) => cell.surprise)).toEqual([]);
    const failures = [...new Set(cells.filter((cell) => cell.status === 'failed').map((cell) => `${cell.service} ${cell.lifecycle} ${cell.observed}`))];
    expect(failures.sort()).toEqual(
      [
        'app-layer up --force-recreate lost',
        'cache-tmpfs kill lost',
        'db-18-old-mount kill unavailable',
        // The upgrade named in x-persist: the new image refuses a mount at the old data path.
        'db-upgrade upgrade unavailable',
        'app-layer down + up lost',
        // A new container is a new RabbitMQ node: the dataset is gone, its files are not.
        'broker-hostname up --force-recreate lost',
        'broker-hostname down + up lost',
        'cache-tmpfs restart lost',
        'cache-tmpfs up --force-recreate lost',
        'cache-tmpfs down + up lost',
        'db-18-old-mount restart unavailable',
        'db-18-old-mount up --force-recreate unavailable',
        'db-18-old-mount down + up unavailable',
        'db-18-old-mount down -v + up unavailable',
        'db-no-mount down + up lost',
        'db-parent-mount down + up lost',
        'mariadb-datadir up --force-recreate lost',
        'mariadb-datadir down + up lost',
      ].sort(),
    );
    // The databases' own datasets see the same losses: tables written through the server are
    // gone when its data directory was, and acknowledged writes vanish with a tmpfs.
    const cell = (service: string, lifecycle: string) => cells.find((c) => c.service === service && c.lifecycle === lifecycle && c.probe === 'dataset');
    expect(cell('mariadb-datadir', 'up --force-recreate')?.observed).toBe('lost');
    expect(cell('db-parent-mount', 'down + up')?.observed).toBe('lost');
    expect(cell('cache-tmpfs', 'kill')?.writes?.lost).toBeGreaterThan(0);
    expect(cell('db-ok', 'kill')?.writes).toMatchObject({ lost: 0 });
    expect(cell('broker-hostname', 'up --force-recreate')?.observed).toBe('lost');
    const brokerFile = cells.find((c) => c.service === 'broker-hostname' && c.lifecycle === 'up --force-recreate' && c.probe === 'file');
    expect(brokerFile).toMatchObject({ observed: 'kept', predicted: 'kept' });
    for (const name of ['db-ok', 'app-ok', 'broker-ok'])
      expect(
        cells.filter((cell) => cell.service === name && cell.status === 'failed'),
        name,
      ).toEqual([]);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    console.info(`check pitfalls: exit 1 in ${result.seconds} s`);
  });
});

const NOTES = 'examples/compose/x-persist/compose.yaml';
const NOTES_PERSIST = 'examples/compose/x-persist/compose.persist.yaml';

/** Every file under a folder, as text. */
async function filesUnder(folder: string): Promise<Array<{ path: string; text: string }>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path, text: await readFile(path, 'utf8') };
      }),
  );
}

/**
 * An overlay that changes some of notes' x-persist settings, as a user would try one. Compose
 * replaces an `x-` block of an earlier file as a whole, so the overlay repeats the others.
 */
async function notesOverlay(name: string, settings: Record<string, string>): Promise<string> {
  const example = parse(await readFile(join(ROOT, NOTES_PERSIST), 'utf8')) as { 'x-persist': { services: { notes: object } } };
  const file = join(scratch, `${name}.yaml`);
  await writeFile(file, stringify({ 'x-persist': { services: { notes: { ...example['x-persist'].services.notes, ...settings } } } }));
  return file;
}

// The team builds its image before checking it, as `persist audit` asks when it is missing.
beforeAll(async () => {
  await execa('docker', ['compose', '-f', NOTES, ...IMAGES, 'build', '--quiet'], { cwd: ROOT });
}, 300_000);

describe('persist check on a service the harness does not know, through x-persist', () => {
  test('notes: its own seed and fingerprint, and its own backup and restore, pass every disruption; a planted credential appears nowhere', async () => {
    const planted = `planted-${randomUUID()}`;
    const result = await check(NOTES, [NOTES_PERSIST], { NOTES_API_TOKEN: planted });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(reportProblems(result.report)).toEqual([]);
    const cells = result.report?.check?.cells ?? [];
    const row = (probe: string) =>
      Object.fromEntries(cells.filter((cell) => cell.probe === probe).map((cell) => [cell.lifecycle, `${cell.observed} ${cell.status}`]));
    expect(row('command')).toEqual({
      restart: 'kept passed',
      kill: 'kept passed',
      'up --force-recreate': 'kept passed',
      'down + up': 'kept passed',
      'backup-restore': 'kept passed',
      'down -v + up': 'lost passed',
    });
    // A restore is judged by the user's own fingerprint: a dump does not carry a stray file.
    expect(row('file')['backup-restore']).toBeUndefined();
    const restore = result.report?.check?.lifecycles.find((entry) => entry.lifecycle === 'backup-restore');
    expect(restore?.steps?.join('\n')).toMatch(/^notes backup: `\.\/backup\.sh` exited 0 in \d+ ms\nnotes restore: `\.\/restore\.sh` exited 0 in \d+ ms$/);
    for (const file of await filesUnder(result.out)) expect(file.text.includes(planted), file.path).toBe(false);
    expect(`${result.stdout}${result.stderr}`).not.toContain(planted);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    console.info(`check x-persist: exit 0 in ${result.seconds} s`);
  });

  test('a restore that restores nothing is caught: exit 1, the loss shown by the fingerprint', async () => {
    const result = await check(NOTES, [await notesOverlay('restores-nothing', { restore: 'true' })]);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
    const failed = (result.report?.check?.cells ?? []).filter((cell) => cell.status === 'failed');
    expect(failed.map((cell) => `${cell.lifecycle} ${cell.probe} ${cell.observed}`)).toEqual(['backup-restore command lost']);
    expect(failed[0]?.evidence.join(' ')).toContain('`notes list` printed');
  });

  test('a seed command that fails stops the check before any disruption: exit 2, its output shown, the credential hidden', async () => {
    const planted = `planted-${randomUUID()}`;
    const overlay = await notesOverlay('seed-fails', { seed: 'echo "the API refused token $NOTES_API_TOKEN" >&2; exit 3' });
    const result = await check(NOTES, [overlay], { NOTES_API_TOKEN: planted, PERSIST_QUIET: '0' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Seeding notes failed before any disruption ran: The seed command exited with 3 in notes: the API refused token ***.');
    expect(result.stderr).not.toMatch(/restart: \d+ ms/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(planted);
  });
});

describe("persist check: a restore holds its source's objects, not only its rows", () => {
  /** A shop on MariaDB whose app writes a procedure, an event, a trigger and a view with its rows; the team's backup is a dump. */
  async function shop(name: string, dumpOptions: string) {
    const project = join(scratch, name);
    await mkdir(project, { recursive: true });
    const file = join(project, 'compose.yaml');
    // $$: Compose interpolates x-persist too; the variable is the container's (MYSQL_*: the stand-in's contract and MariaDB's alias of its own).
    const client = 'mariadb -uroot -p"$$MYSQL_ROOT_PASSWORD" shop';
    const objects = [
      'CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY AUTO_INCREMENT, total INT NOT NULL)',
      'INSERT INTO orders (total) VALUES (100)',
      'CREATE OR REPLACE PROCEDURE apply_discount() UPDATE orders SET total = total * 0.9',
      'CREATE OR REPLACE EVENT purge_orders ON SCHEDULE EVERY 1 DAY STARTS NOW() + INTERVAL 1 DAY DO DELETE FROM orders WHERE total < 0',
      'CREATE OR REPLACE TRIGGER orders_positive BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = ABS(NEW.total)',
      'CREATE OR REPLACE VIEW order_totals AS SELECT SUM(total) AS total FROM orders',
    ];
    await writeFile(
      file,
      stringify({
        services: {
          db: {
            image: '${MARIADB_IMAGE:-mariadb:11}',
            environment: { MYSQL_ROOT_PASSWORD: 'example-only', MYSQL_DATABASE: 'shop' },
            volumes: ['db-data:/var/lib/mysql'],
          },
        },
        volumes: { 'db-data': {} },
        'x-persist': {
          services: {
            db: {
              seed: `${client} -e '${objects.join('; ')}'`,
              fingerprint: `${client} -N -e 'SELECT COUNT(*), SUM(total) FROM orders'`,
              backup: `docker compose exec -T db sh -c 'exec mariadb-dump -uroot -p"$$MYSQL_ROOT_PASSWORD"${dumpOptions} shop' > "$$PERSIST_BACKUP_DIR/shop.sql"`,
              restore: `docker compose exec -T db sh -c 'exec ${client}' < "$$PERSIST_BACKUP_DIR/shop.sql"`,
            },
          },
        },
      }),
    );
    return check(file, [], {}, ['--disruptions', 'backup-restore']);
  }

  test("the seed's mysqldump restores every row and loses the procedure and the event: the objects cell names them; with --routines --events all are kept", async () => {
    const seedsDump = await shop('shop-seed-dump', '');
    expect(seedsDump.exitCode, `${seedsDump.stdout}\n${seedsDump.stderr}`).toBe(1);
    const cells = seedsDump.report?.check?.cells ?? [];
    // The rows the user's fingerprint reads came back: only the objects tell the loss.
    expect(cells.map((cell) => `${cell.probe} ${cell.observed} ${cell.status}`).sort()).toEqual(['command kept passed', 'objects lost failed']);
    const objects = cells.find((cell) => cell.probe === 'objects')!;
    expect(objects.evidence).toEqual([
      expect.stringMatching(
        /^its \d+ objects before the backup \(.*\), from the server's catalogues: shop\.purge_orders \(event\), shop\.apply_discount \(procedure\) are not there after the restore$/,
      ),
    ]);
    expect(await readFile(join(seedsDump.out, 'report.md'), 'utf8')).toContain('/var/lib/mysql (objects)');
    expect(await copyLeftovers(seedsDump.report?.check?.copyProject ?? '')).toEqual([]);

    const whole = await shop('shop-whole-dump', ' --routines --events');
    expect(whole.exitCode, `${whole.stdout}\n${whole.stderr}`).toBe(0);
    const kept = whole.report?.check?.cells.find((cell) => cell.probe === 'objects');
    expect(kept?.observed).toBe('kept');
    expect(kept?.evidence).toContainEqual(expect.stringMatching(/view.*procedure.*trigger.*event.*: every one is there after the restore$/));
  });
});

describe('persist check on a project as it sits in its repository', () => {
  test('an app not built yet is left out with the command that builds it, and its database is checked; naming the app is refused', async () => {
    const project = join(scratch, 'unbuilt-app');
    await mkdir(project, { recursive: true });
    const file = join(project, 'compose.yaml');
    await writeFile(
      file,
      stringify({
        services: {
          app: { build: { context: '.' }, image: 'persist-example/never-built:2', depends_on: ['db'] },
          db: { image: '${POSTGRES_IMAGE:-postgres:17}', environment: { POSTGRES_PASSWORD: 'example-only' }, volumes: ['db-data:/var/lib/postgresql/data'] },
        },
        volumes: { 'db-data': {} },
      }),
    );
    const result = await check(file);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const compose = ['docker compose -f', file, ...IMAGES].join(' ');
    expect(result.report?.check?.leftOut).toEqual([
      { service: 'app', reason: `its image persist-example/never-built:2 is not on this machine (\`${compose} build app\` brings it)` },
    ]);
    expect(result.stdout).toContain('left out, not checked: app: its image persist-example/never-built:2 is not on this machine');
    const cells = result.report?.check?.cells ?? [];
    expect(new Set(cells.map((cell) => cell.service))).toEqual(new Set(['db']));
    expect(cells.filter((cell) => cell.probe === 'dataset')).toHaveLength(5);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    // Asked for by name, the app cannot run: refused, with the same command.
    const named = await check(file, [], {}, ['--services', 'app']);
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain(
      `Image persist-example/never-built:2 of service app is not on this machine, so the copy cannot start it. Run \`${compose} build app\``,
    );
  });
});

describe('persist check --build', () => {
  const built = 'persist-example/built-by-check:1';
  afterAll(async () => {
    // --build made the user's image, as `docker compose build` would; the test removes its own.
    await execa('docker', ['image', 'rm', '--force', built], { reject: false });
  });

  test('builds what the checked services need and is not built yet, then checks it; without --build the check refuses it', async () => {
    const project = join(scratch, 'build-on-request');
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, 'Dockerfile'),
      ['ARG BASE', 'FROM ${BASE}', 'VOLUME /srv/app-data', 'CMD ["sh", "-c", "trap exit TERM; while :; do sleep 1; done"]', ''].join('\n'),
    );
    const file = join(project, 'compose.yaml');
    await writeFile(
      file,
      stringify({
        services: {
          app: { build: { context: '.', args: { BASE: loadConfig().images.toolbox.reference } }, image: built, volumes: ['app-data:/srv/app-data'] },
        },
        volumes: { 'app-data': {} },
      }),
    );
    const without = await check(file);
    expect(without.exitCode).toBe(2);
    expect(without.stderr).toContain(`Image ${built} of service app is not on this machine`);
    const result = await check(file, [], {}, ['--build']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.report?.check?.leftOut).toBeUndefined();
    const cells = result.report?.check?.cells ?? [];
    expect(cells.filter((cell) => cell.service === 'app' && cell.path === '/srv/app-data').map((cell) => `${cell.lifecycle} ${cell.observed}`)).toContain(
      'down + up kept',
    );
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
  });
});

describe('persist check --pull', () => {
  let registry: LocalRegistry | undefined;
  let pulled = '';
  beforeAll(async () => {
    registry = await startLocalRegistry();
    await registry.push(loadConfig().images.redis.reference, 'team/cache:7');
    pulled = `${registry.host}/team/cache:7`;
  }, 120_000);
  afterAll(async () => {
    // --pull brought the image onto this machine, as `docker compose pull` would; the test removes its own.
    if (pulled) await execa('docker', ['image', 'rm', '--force', pulled], { reject: false });
    await registry?.stop();
  });

  test('pulls the image a checked service needs from its registry, then checks it; without --pull the check refuses it', async () => {
    const project = join(scratch, 'pull-on-request');
    await mkdir(project, { recursive: true });
    const file = join(project, 'compose.yaml');
    await writeFile(
      file,
      stringify({ services: { cache: { image: pulled, command: ['redis-server', '--appendonly', 'yes'], volumes: ['cache:/data'] } }, volumes: { cache: {} } }),
    );
    const without = await check(file);
    expect(without.exitCode).toBe(2);
    expect(without.stderr).toContain(`Image ${pulled} of service cache is not on this machine`);
    const result = await check(file, [], {}, ['--pull']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.report?.audit?.services[0]?.facts.source).toBe('local-image');
    // team/cache is an image the harness does not know: judged by its VOLUME (/data), through a file.
    const cells = result.report?.check?.cells ?? [];
    expect(cells.filter((cell) => cell.lifecycle === 'down + up').map((cell) => `${cell.probe} ${cell.observed}`)).toEqual(['file kept']);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
  });
});

describe('persist check --disruptions power-cut', () => {
  test("good: the named volumes' disks cut under write load; the durable servers keep every acknowledged write, each loss is explained, nothing stays attached", async () => {
    const result = await check('examples/compose/good/compose.yaml', [], {}, ['--disruptions', 'power-cut']);
    expect([0, 1], `${result.stdout}\n${result.stderr}`).toContain(result.exitCode);
    expect(reportProblems(result.report)).toEqual([]);
    expect(result.report?.harnessErrors).toEqual([]);
    const cells = result.report?.check?.cells ?? [];
    expect(new Set(cells.map((cell) => cell.lifecycle))).toEqual(new Set(['power-cut']));
    // Each database runs its default (or, for Redis, appendfsync always): the cut keeps every write it acknowledged.
    const datasets = cells.filter((cell) => cell.probe === 'dataset');
    expect(datasets.map((cell) => `${cell.service} ${cell.observed}`).sort()).toEqual(['cache kept', 'db kept', 'wordpress-db kept']);
    for (const cell of datasets) expect(cell.writes?.acknowledged, cell.service).toBeGreaterThan(0);
    for (const cell of datasets) expect(cell.writes?.lost, cell.service).toBe(0);
    // The check's own files are synced before the cut.
    expect(cells.filter((cell) => cell.probe === 'file').every((cell) => cell.observed === 'kept')).toBe(true);
    const steps = result.report?.check?.lifecycles[0]?.steps ?? [];
    expect(steps.join('\n')).toMatch(/cache: runs appendfsync always/);
    expect(steps.join('\n')).toMatch(/e2fsck clean/);
    // A loss (WordPress's uploads, written without fsync) says what allowed it.
    for (const cell of cells.filter((c) => c.observed === 'lost')) expect(cell.evidence.join(' ')).toMatch(/without forcing them to disk|runs /);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    expect(await attachedDisksOf(result.report?.runId ?? '')).toEqual([]);
    console.info(`check good --disruptions power-cut: exit ${result.exitCode} in ${result.seconds} s`);
  });

  test('an unknown disruption: one sentence naming the known ones, exit 2, the report written', async () => {
    const result = await check('examples/compose/good/compose.yaml', [], {}, ['--disruptions', 'restart,power-failure']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toMatch(/^persist: Unknown disruption: power-failure\. Known disruptions: restart, kill, .*power-cut/);
    expect(result.report?.check?.cells).toEqual([]);
  });
});

describe('persist check: bad input and cleanup', () => {
  test('an image the team has not built yet: one sentence with the fix, exit 2, nothing started', async () => {
    const project = join(scratch, 'unbuilt');
    await mkdir(project, { recursive: true });
    const file = join(project, 'compose.yaml');
    await writeFile(file, stringify({ services: { app: { build: { context: '.' }, image: 'persist-example/never-built:1' } } }));
    const result = await check(file);
    expect(result.exitCode).toBe(2);
    const compose = ['docker compose -f', file, ...IMAGES].join(' ');
    expect(result.stderr.trim()).toBe(
      `persist: Image persist-example/never-built:1 of service app is not on this machine, so the copy cannot start it. Run \`${compose} build app\`, then run persist again.`,
    );
    // The report asked for is written all the same: the refusal is its harness error.
    expect(result.stdout).toMatch(/^NOT PASSED: the check could not run; report: .+\/report\.md$/);
    expect(result.report?.harnessErrors).toEqual([result.stderr.trim().replace(/^persist: /, '')]);
    expect(result.report?.check?.cells).toEqual([]);
  });

  test('Ctrl-C during a check removes the copy, its anonymous volumes included, and nothing else', async () => {
    // notes without its volume: the image's VOLUME gets an anonymous volume, which carries no label.
    const project = join(scratch, 'anonymous');
    await mkdir(project, { recursive: true });
    const file = join(project, 'compose.yaml');
    await writeFile(file, stringify({ services: { notes: { image: 'persist-example/notes:1' } } }));
    const child = execa(process.execPath, ['bin/persist.js', 'check', '-f', file, '--out', join(scratch, 'interrupted')], {
      cwd: ROOT,
      reject: false,
      env: { PERSIST_QUIET: '0' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const anonymous = watchAnonymousVolumes(file);
    const deadline = deadlineIn(120_000);
    // Until `down + up` has left the first anonymous volume behind and made a second.
    while (!deadline.passed() && !/down \+ up: \d+ ms/.test(stderr)) await sleep(100);
    expect(stderr).toMatch(/down \+ up: \d+ ms/);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const volumes = await anonymous.stop();
    expect(volumes.seen).toBeGreaterThanOrEqual(2);
    expect(volumes.remaining).toEqual([]);
    expect(volumes.projects).toHaveLength(1);
    for (const project of volumes.projects) expect(await copyLeftovers(project)).toEqual([]);
  });
});
