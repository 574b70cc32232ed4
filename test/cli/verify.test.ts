// `persist verify` end to end on real artifacts: a seeded server of each kind is dumped the way
// teams dump theirs, and each dump is verified (it must pass), verified stale, short and empty
// (each must fail, the reason named), and given in a form whose damage cannot be seen (the
// verification must say it could not fail). The artifacts are read-only throughout and must come
// out with the same sha256 and mtime; nothing of a verification may remain.
import { createHash } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { deadlineIn, sleep } from '../../src/timing/clock.ts';
import { readWorkflow, type WorkflowStep } from './workflow.ts';
import { startSeedServer } from './seed-server.ts';
import { verifyRun } from './verify-run.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const LOCAL = loadConfig().imageSet === 'local';
const POSTGRES = LOCAL ? 'persistence-harness/postgres:15' : 'postgres:15';
const MYSQL = LOCAL ? 'persistence-harness/mysql:10.11' : 'mariadb:10.11';
const WORDPRESS = LOCAL ? 'persistence-harness/wordpress:6.1' : 'wordpress:6';
const REDIS = LOCAL ? 'persistence-harness/redis:7.0' : 'redis:7';
/** The stand-in that carries pgBackRest (Debian's 2.45, which supports PostgreSQL 15); no official image ships it. */
const PGBACKREST = LOCAL ? 'persistence-harness/postgres:15-pgbackrest' : undefined;
/** PostgreSQL 18's layout: the volume at /var/lib/postgresql, PGDATA below it (the stand-in keeps 17's server in it). */
const MOVED_PGDATA = LOCAL ? 'persistence-harness/postgres:17-moved-pgdata' : 'postgres:18';
const TOOLBOX = LOCAL ? 'persistence-harness/toolbox:bookworm' : 'alpine:3.20';
const REPOSITORY_PASSWORD = 'repository-secret';
const SEED_LABEL = 'persistence-harness.test=verify-seed';
const docker = new Docker();
let scratch = '';
const artifacts: Record<string, string> = {};

const seedServer = (name: string, image: string, env: string[], ready: string) =>
  startSeedServer(image, env, ready, ['--label', SEED_LABEL, '--name', `${name}-${process.pid}`]);

async function dump(id: string, script: string, file: string, compress = false): Promise<string> {
  const { stdout } = await execa('docker', ['exec', id, 'sh', '-c', script], { encoding: 'buffer', stripFinalNewline: false });
  const path = join(scratch, file);
  await writeFile(path, compress ? gzipSync(stdout) : stdout);
  // As a team keeps last night's backup: read-only; verify must never need to write it.
  await chmod(path, 0o444);
  return path;
}

/** pgBackRest's settings for the stand-in that carries it: the repository at /repo, the stanza shop, no log file. */
const PGBACKREST_ENV = [
  'PGBACKREST_REPO1_PATH=/repo',
  'PGBACKREST_PG1_PATH=/var/lib/postgresql/data',
  'PGBACKREST_STANZA=shop',
  'PGBACKREST_LOG_LEVEL_FILE=off',
];

/** A pgBackRest repository as a team keeps one: WAL archived by the server, a full backup with the WAL it needs to be consistent. */
async function pgBackRestRepository(seed: Buffer): Promise<void> {
  artifacts.pgbackrest = join(scratch, 'pgbackrest-repo');
  await execa('sh', ['-c', `mkdir -p ${artifacts.pgbackrest} && chown 999:999 ${artifacts.pgbackrest}`]);
  const { stdout } = await execa('docker', [
    'run',
    '-d',
    '--label',
    SEED_LABEL,
    ...['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop', ...PGBACKREST_ENV].flatMap((e) => ['-e', e]),
    '-v',
    `${artifacts.pgbackrest}:/repo`,
    PGBACKREST!,
    ...['postgres', '-c', 'archive_mode=on', '-c', 'archive_command=pgbackrest archive-push %p'],
  ]);
  const id = stdout.trim();
  const deadline = deadlineIn(120_000);
  while ((await execa('docker', ['exec', id, 'pg_isready', '-q', '-h', '127.0.0.1'], { reject: false })).exitCode !== 0) {
    if (deadline.passed()) throw new Error('the pgBackRest server did not start');
    await sleep(250);
  }
  await execa('docker', ['exec', '-i', id, 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop'], { input: seed });
  await execa('docker', ['exec', '-u', 'postgres', id, 'pgbackrest', 'stanza-create']);
  await execa('docker', ['exec', '-u', 'postgres', id, 'pgbackrest', '--type=full', '--archive-copy', '--start-fast', 'backup']);
  await execa('docker', ['rm', '-fv', id]);
  await execa('chmod', ['-R', 'a-w', artifacts.pgbackrest]);
}

/** The same data directory backed up with restic and borg, as a team backs up a stopped volume's folder. */
async function repositoriesOf(files: string): Promise<void> {
  artifacts.restic = join(scratch, 'restic-repo');
  artifacts.borg = join(scratch, 'borg-repo');
  const passwords = { RESTIC_PASSWORD: REPOSITORY_PASSWORD, BORG_PASSPHRASE: REPOSITORY_PASSWORD };
  await execa('restic', ['init', '-q', '-r', artifacts.restic], { env: passwords });
  await execa('restic', ['-r', artifacts.restic, 'backup', '-q', '--no-cache', 'var/lib/postgresql/data'], { env: passwords, cwd: files });
  await execa('borg', ['init', '-e', 'repokey', artifacts.borg], { env: passwords });
  await execa('borg', ['create', `${artifacts.borg}::nightly`, 'var/lib/postgresql/data'], { env: passwords, cwd: files });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-verify-'));
  const seed = await readFile(join(ROOT, 'examples/verify/seed.sql'));
  const [pg, my, wp, redis, moved] = await Promise.all([
    seedServer('verify-pg', POSTGRES, ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop'], 'pg_isready -q -h 127.0.0.1'),
    seedServer(
      'verify-my',
      MYSQL,
      ['MYSQL_ROOT_PASSWORD=seed', 'MYSQL_DATABASE=shop', 'MARIADB_ROOT_PASSWORD=seed', 'MARIADB_DATABASE=shop'],
      'mariadb-admin ping --silent -h 127.0.0.1 --protocol=tcp',
    ),
    // The image copies WordPress into its empty site folder, then serves it.
    seedServer('verify-wp', WORDPRESS, ['WORDPRESS_DB_HOST=nowhere'], 'test -f /var/www/html/wp-settings.php'),
    seedServer('verify-redis', REDIS, [], '[ "$(redis-cli ping)" = PONG ]'),
    seedServer('verify-pg-moved', MOVED_PGDATA, ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop'], 'pg_isready -q -h 127.0.0.1'),
  ]);
  await execa('docker', ['exec', '-i', moved, 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop'], { input: seed });
  artifacts.movedBasebackup = join(scratch, 'basebackup-moved');
  await execa('docker', ['exec', moved, 'sh', '-c', 'rm -rf /tmp/bb && pg_basebackup -U postgres -D /tmp/bb -Ft -z -X stream']);
  await execa('docker', ['cp', `${moved}:/tmp/bb`, artifacts.movedBasebackup]);
  await execa('docker', ['exec', redis, 'sh', '-c', 'for i in $(seq 1 300); do echo "SET order:$i $i"; done | redis-cli >/dev/null && redis-cli SAVE']);
  // The same keys in Redis 7's AOF folder: switched on, the server writes its base from the data, then each write after it.
  await execa('docker', [
    'exec',
    redis,
    'sh',
    '-c',
    'redis-cli CONFIG SET appendonly yes && sleep 2 && for i in $(seq 301 600); do echo "SET order:$i $i"; done | redis-cli >/dev/null',
  ]);
  artifacts.aof = join(scratch, 'appendonlydir');
  await execa('docker', ['cp', `${redis}:/data/appendonlydir`, artifacts.aof]);
  await execa('chmod', ['-R', 'a-w', artifacts.aof]);
  artifacts.rdb = join(scratch, 'dump.rdb');
  await execa('docker', ['cp', `${redis}:/data/dump.rdb`, artifacts.rdb]);
  await chmod(artifacts.rdb, 0o444);
  await execa('docker', ['exec', wp, 'sh', '-c', 'mkdir -p wp-content/uploads/2026/12 && echo photo > wp-content/uploads/2026/12/shop.jpg']);
  await execa('docker', ['exec', '-i', pg, 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop'], { input: seed });
  if (PGBACKREST) await pgBackRestRepository(seed);
  await execa('docker', ['exec', '-i', my, 'sh', '-c', 'exec mariadb -uroot -pseed shop'], {
    input:
      'CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, total decimal(10,2) NOT NULL, created_at datetime NOT NULL DEFAULT UTC_TIMESTAMP());\nINSERT INTO orders (total) SELECT seq % 500 FROM seq_1_to_20000;\n',
  });
  artifacts.custom = await dump(pg, 'pg_dump -U postgres -Fc shop', 'shop.dump');
  artifacts.plainGz = await dump(pg, 'pg_dump -U postgres shop', 'shop.sql.gz', true);
  artifacts.mysqlGz = await dump(my, 'mysqldump -uroot -pseed shop', 'shop-mysql.sql.gz', true);
  // A physical backup as MariaDB's documentation takes one, unprepared: verify prepares a copy.
  artifacts.mariabackup = join(scratch, 'mariabackup');
  await execa('docker', ['exec', my, 'sh', '-c', 'mariadb-backup --backup --target-dir=/tmp/mb -uroot -pseed 2>/dev/null']);
  await execa('docker', ['cp', `${my}:/tmp/mb`, artifacts.mariabackup]);
  await execa('chmod', ['-R', 'a-w', artifacts.mariabackup]);
  artifacts.empty = await dump(pg, 'pg_dump -U postgres postgres', 'empty.sql');
  artifacts.clusterZst = join(scratch, 'cluster.sql.zst');
  await writeFile(artifacts.clusterZst, zstdCompressSync((await execa('docker', ['exec', pg, 'pg_dumpall', '-U', 'postgres'], { encoding: 'buffer' })).stdout));
  await chmod(artifacts.clusterZst, 0o444);
  artifacts.directory = join(scratch, 'shop-dir');
  await execa('docker', ['exec', pg, 'pg_dump', '-U', 'postgres', '-Fd', '-f', '/tmp/shop-dir', 'shop']);
  await execa('docker', ['cp', `${pg}:/tmp/shop-dir`, artifacts.directory]);
  await execa('chmod', ['-R', 'a-w', artifacts.directory]);
  // A plain dump whose second half is comments: cut at the middle, it restores the same data.
  const plain = (await execa('docker', ['exec', pg, 'pg_dump', '-U', 'postgres', 'shop'])).stdout;
  artifacts.unfailable = join(scratch, 'padded.sql');
  await writeFile(artifacts.unfailable, `${plain}\n${'-- padding\n'.repeat(Math.ceil(plain.length / 10) + 10)}`);
  // A base backup as the documentation takes one: tar format, gzipped, with the WAL it needs.
  artifacts.basebackup = join(scratch, 'basebackup');
  await execa('docker', ['exec', pg, 'sh', '-c', 'rm -rf /tmp/bb && pg_basebackup -U postgres -D /tmp/bb -Ft -z -X stream']);
  await execa('docker', ['cp', `${pg}:/tmp/bb`, artifacts.basebackup]);
  // The seed's helper-container tars of the stopped servers' volumes: of the data path (by --volumes-from), and of a site folder with -C.
  await execa('docker', ['stop', pg, wp]);
  const helper = (from: string, script: string) =>
    execa('docker', ['run', '--rm', '--label', SEED_LABEL, '--volumes-from', from, '-v', `${scratch}:/backup`, TOOLBOX, 'sh', '-c', script]);
  await helper(pg, 'tar czf /backup/pgdata.tar.gz /var/lib/postgresql/data');
  await helper(wp, 'tar cf /backup/site.tar -C /var/www/html .');
  artifacts.volumeGz = join(scratch, 'pgdata.tar.gz');
  artifacts.siteTar = join(scratch, 'site.tar');
  const files = join(scratch, 'pgfiles');
  await execa('sh', ['-c', `mkdir -p ${files} && tar -xzf ${artifacts.volumeGz} -C ${files}`]);
  await repositoriesOf(files);
  // A format persist does not read (bzip2): only the team's own restore command knows it.
  artifacts.bzip2 = join(scratch, 'pgdata.tar.bz2');
  await execa('tar', ['-cjf', artifacts.bzip2, '-C', join(files, 'var/lib/postgresql'), 'data']);
  await execa('docker', ['rm', '-fv', pg, my, wp, redis, moved]);
}, 300_000);

afterAll(async () => {
  await execa('docker', ['rm', '-fv', ...(await docker.listContainers({ all: true, filters: { label: [SEED_LABEL] } })).map((c) => c.Id)], { reject: false });
  await rm(scratch, { recursive: true, force: true });
});

const verify = (args: string[], env: Record<string, string> = {}) => verifyRun(scratch, args, env);

async function fingerprint(path: string) {
  const info = await stat(path);
  return {
    sha256: createHash('sha256')
      .update(await readFile(path))
      .digest('hex'),
    mtimeMs: info.mtimeMs,
    mode: info.mode,
  };
}

async function expectFile(text: string): Promise<string> {
  const path = join(scratch, `expect-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return path;
}

/** Verifies into the seed's PostgreSQL (or another image), expecting the shop's 20,000 orders back and the damaged copy failed. */
async function verifiedOrders(from: string, more: string[] = [], env: Record<string, string> = {}, image = POSTGRES) {
  const run = await verify(
    ['--from', from, '--image', image, ...more, '--expect', await expectFile('expect:\n  - sql: select count(*) from orders\n    equals: 20000\n')],
    env,
  );
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.verify).toMatchObject({ verdict: 'verified', damaged: { failed: true } });
  return run;
}

/** The same artifact held to more than it has: a count above the real one and a newest row younger than it is; both named. */
async function heldTooHigh(from: string, image: string[] = ['--image', POSTGRES], env: Record<string, string> = {}) {
  const run = await verify(
    [
      '--from',
      from,
      ...image,
      '--expect',
      await expectFile('expect:\n  - sql: select count(*) from orders\n    min: 20001\nfresh:\n  sql: select max(created_at) from orders\n  maxAge: 1s\n'),
    ],
    env,
  );
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.verify?.problems).toEqual([
    'Expected select count(*) from orders ≥ 20001; observed 20000.',
    expect.stringMatching(/^The newest row is [\dmsh ]+ old .*more than the allowed 1s/),
  ]);
}

/**
 * What a verification left: containers and volumes with its run's label. Other files' verifications
 * run at the same time, so each test looks at its own runs only.
 */
async function leftovers(...runIds: string[]): Promise<string[]> {
  const ours = (run: string | undefined) => run !== undefined && runIds.includes(run);
  const [containers, { Volumes }] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: ['persistence-harness.run'] } }),
    docker.listVolumes(),
  ]);
  return [
    ...containers.filter((c) => ours(c.Labels['persistence-harness.run'])).map((c) => `container ${c.Names[0]}`),
    ...(Volumes ?? []).filter((v) => ours(v.Labels?.['persistence-harness.run'])).map((v) => `volume ${v.Name}`),
  ];
}

describe('persist verify: database dumps', () => {
  test("a pg_dump custom archive restores into the project's own service, holds what x-persist expects, and its damaged copy fails; the artifact is only read; held too high, it fails", async () => {
    const before = await fingerprint(artifacts.custom!);
    const run = await verify([
      '--from',
      artifacts.custom!,
      '-f',
      'examples/verify/compose.yaml',
      '--service',
      'db',
      ...(LOCAL ? ['--env-file', 'examples/compose/stand-ins.env'] : []),
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const v = run.verify!;
    expect(v).toMatchObject({
      verdict: 'verified',
      service: 'db',
      database: 'shop',
      artifact: { format: 'pg-custom', unchanged: true, sha256: before.sha256 },
    });
    expect(v.tables.map((t) => [t.table, t.rows])).toEqual([
      ['public.orders', 20_000],
      ['public.users', 2_000],
    ]);
    expect(v.expectations.every((e) => e.passed)).toBe(true);
    expect(v.dataAge?.passed).toBe(true);
    expect(v.damaged).toMatchObject({ failed: true });
    expect(v.integrity[0]).toMatchObject({ tool: 'pg_restore --list', passed: true });
    expect(v.phases.map((p) => p.phase)).toEqual(['hash', 'start', 'restore', 'checks']);
    expect(await fingerprint(artifacts.custom!)).toEqual(before);
    const evidence = JSON.parse(await readFile(join(run.out, 'last-verified.json'), 'utf8'));
    expect(evidence).toMatchObject({ verdict: 'verified', artifact: { sha256: before.sha256 }, damagedCopy: { failed: true } });
    expect(evidence.recoveryMs).toBeGreaterThan(0);
    for (const file of ['report.md', 'report.html', 'report.junit.xml']) expect(await readFile(join(run.out, file), 'utf8')).toContain('recovery');
    expect(run.stdout).not.toContain('change-me');
    await heldTooHigh(artifacts.custom!);
  });

  test('a gzipped plain dump verifies; stale, short and empty restores fail, each naming why', async () => {
    const expect26h = await expectFile(
      'expect:\n  - sql: select count(*) from orders\n    min: 20000\nfresh:\n  sql: select max(created_at) from orders\n  maxAge: 26h\n',
    );
    const ok = await verify(['--from', artifacts.plainGz!, '--image', POSTGRES, '--expect', expect26h]);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.verify?.damaged?.how).toMatch(/inverted/);

    const stale = await verify([
      '--from',
      artifacts.plainGz!,
      '--image',
      POSTGRES,
      '--expect',
      await expectFile('fresh:\n  sql: select max(created_at) from orders\n  maxAge: 1s\n'),
    ]);
    expect(stale.exitCode).toBe(1);
    expect(stale.verify?.problems.join(' ')).toMatch(/The newest row is [\dms ]+ old .*more than the allowed 1s/);

    const short = await verify([
      '--from',
      artifacts.plainGz!,
      '--image',
      POSTGRES,
      '--expect',
      await expectFile('expect:\n  - sql: select count(*) from orders\n    min: 20001\n'),
    ]);
    expect(short.exitCode).toBe(1);
    expect(short.verify?.problems).toEqual(['Expected select count(*) from orders ≥ 20001; observed 20000.']);

    const empty = await verify(['--from', artifacts.empty!, '--image', POSTGRES]);
    expect(empty.exitCode).toBe(1);
    expect(empty.verify?.problems[0]).toMatch(/no table/);
    const allowed = await verify(['--from', artifacts.empty!, '--image', POSTGRES, '--expect', await expectFile('allowEmpty: true\n')]);
    expect(allowed.verify?.problems).toEqual([]);
  });
});

describe("persist verify: PostgreSQL's other dump forms", () => {
  test("a pg_dump directory archive restores from its folder, lists its table of contents, and fails with a table's file damaged; held too high, it fails", async () => {
    const run = await verifiedOrders(artifacts.directory!);
    expect(run.verify).toMatchObject({ database: 'shop', artifact: { format: 'pg-directory', shape: 'directory', unchanged: true } });
    expect(run.verify?.integrity[0]).toMatchObject({ tool: 'pg_restore --list', passed: true });
    expect(run.verify?.damaged?.how).toMatch(/\.dat\.gz: byte .* inverted/);
    await heldTooHigh(artifacts.directory!);
  });

  test("a zstd pg_dumpall restores every database and role into a new cluster, the image's own superuser and database kept; held too high, it fails", async () => {
    const run = await verifiedOrders(artifacts.clusterZst!, [], {});
    expect(run.verify).toMatchObject({ artifact: { format: 'pg-dumpall', compression: 'zstd' } });
    expect(run.verify?.tables.map((t) => `${t.database}.${t.table}`)).toEqual(['shop.public.orders', 'shop.public.users']);
    await heldTooHigh(artifacts.clusterZst!, ['--image', POSTGRES, '--env', 'POSTGRES_DB=shop']);
  });
});

describe('persist verify: what a verification is held to', () => {
  test('a gzipped mysqldump verifies into MariaDB, and its damaged copy fails; held too high, it fails', async () => {
    const run = await verifiedOrders(artifacts.mysqlGz!, [], {}, MYSQL);
    expect(run.verify).toMatchObject({ database: 'shop', artifact: { format: 'mysqldump', compression: 'gzip' } });
    await heldTooHigh(artifacts.mysqlGz!, ['--image', MYSQL]);
  });

  test("a mariadb-backup folder is prepared on a copy and copied back by the image's own tool; held too high it fails; another version's tool, or no root password of the backed-up server, is said so", async () => {
    const password = ['--env', 'MARIADB_ROOT_PASSWORD=seed', '--env', 'MYSQL_ROOT_PASSWORD=seed'];
    const before = await fingerprint(join(artifacts.mariabackup!, 'xtrabackup_checkpoints'));
    const run = await verifiedOrders(artifacts.mariabackup!, password, {}, MYSQL);
    expect(run.verify).toMatchObject({ dataPath: '/var/lib/mysql', artifact: { format: 'mariabackup', unchanged: true } });
    expect(run.verify?.integrity).toEqual([expect.objectContaining({ tool: 'mariadb-backup --prepare', passed: true })]);
    expect(run.verify?.restore.steps.map((step) => step.command)).toEqual(['mariadb-backup --prepare (on a copy of the folder)', 'mariadb-backup --copy-back']);
    expect(await fingerprint(join(artifacts.mariabackup!, 'xtrabackup_checkpoints'))).toEqual(before);
    await heldTooHigh(artifacts.mariabackup!, ['--image', MYSQL, ...password]);
    // Another version's mariadb-backup does not prepare it: one sentence naming the image, before anything is restored.
    const newer = await verify(['--from', artifacts.mariabackup!, '--image', LOCAL ? 'persistence-harness/mysql:11.8' : 'mariadb:11.8', ...password]);
    expect(newer.exitCode).toBe(2);
    expect(newer.report.harnessErrors[0]).toMatch(/taken of MariaDB 10\.11 and this image's mariadb-backup is 11\.8.*--image mariadb:10\.11/);
    const denied = await verify(['--from', artifacts.mariabackup!, '--image', MYSQL]);
    expect(denied.exitCode).toBe(1);
    expect(denied.verify?.problems[0]).toMatch(/could not log in as root .* physical backup brings the backed-up server's own users/);
  });

  test('against an earlier verification, a table that lost rows and a slower recovery are findings', async () => {
    const earlier = await verify(['--from', artifacts.custom!, '--image', POSTGRES]);
    expect(earlier.exitCode).toBe(0);
    // The same backup's report from a night it held more orders and restored faster.
    const baseline = structuredClone(earlier.report);
    baseline.verify!.tables = baseline.verify!.tables.map((t) => (t.table === 'public.orders' ? { ...t, rows: 30_000 } : t));
    baseline.verify!.recoveryMs = 100;
    const file = join(scratch, 'baseline.json');
    await writeFile(file, JSON.stringify(baseline));
    const run = await verify(['--from', artifacts.custom!, '--image', POSTGRES, '--baseline', file]);
    expect(run.exitCode).toBe(1);
    expect(run.verify?.problems[0]).toMatch(/^shop\.public\.orders has 20,000 rows, 33\.3% fewer than the 30,000 of the baseline/);
    expect(run.verify?.problems[1]).toMatch(/^The recovery took \d+ ms, [\d.]+% slower than the baseline's 100 ms\.$/);
    expect(await readFile(join(run.out, 'report.md'), 'utf8')).toContain('Against the baseline');
    const refused = await verify(['--from', artifacts.custom!, '--image', POSTGRES, '--baseline', join(run.out, 'report.md')]);
    expect(refused.report.harnessErrors[0]).toMatch(/is not JSON/);
  });

  test('a verification whose damaged copy restores the same data says it could not fail (exit 2)', async () => {
    const run = await verify(['--from', artifacts.unfailable!, '--image', POSTGRES]);
    expect(run.exitCode).toBe(2);
    expect(run.verify).toMatchObject({ verdict: 'unable-to-fail', problems: [], damaged: { failed: false } });
    expect(run.stdout).toContain('UNABLE TO FAIL');
  });
});

describe('persist verify: data restored before the service starts', () => {
  test("a base backup of a server whose data directory lies below its volume (PostgreSQL 18's layout) is extracted at PGDATA", async () => {
    const run = await verifiedOrders(artifacts.movedBasebackup!, [], {}, MOVED_PGDATA);
    expect(run.verify).toMatchObject({ dataPath: '/var/lib/postgresql', artifact: { format: 'pg-basebackup' } });
    expect(run.verify?.restore.steps[0]?.command).toMatch(/-C \/volume\/1\d\/docker$/);
    expect(run.verify?.integrity).toEqual([expect.objectContaining({ tool: 'pg_verifybackup', passed: true })]);
  });

  test("a volume's tar restores, the service started on it: PostgreSQL's data by the image it came from, a site's files by their folder; a newer server refuses the data, and says so; held too high, the tar fails", async () => {
    const database = await verify([
      '--from',
      artifacts.volumeGz!,
      '--image',
      POSTGRES,
      '--expect',
      await expectFile('expect:\n  - sql: select count(*) from orders\n    equals: 20000\n  - file: base\n'),
    ]);
    expect(database.exitCode, database.stdout + database.stderr).toBe(0);
    expect(database.verify).toMatchObject({
      verdict: 'verified',
      dataPath: '/var/lib/postgresql/data',
      artifact: { format: 'volume-tar' },
      damaged: { failed: true },
    });
    expect(database.verify?.restore.steps[0]?.command).toContain('--strip-components 4');
    await heldTooHigh(artifacts.volumeGz!);

    const site = await verify([
      '--from',
      artifacts.siteTar!,
      '--image',
      WORDPRESS,
      '--expect',
      await expectFile('expect:\n  - file: wp-content/uploads/2026/12/shop.jpg\n  - file: wp-content/plugins\n'),
    ]);
    expect(site.exitCode, site.stdout + site.stderr).toBe(0);
    expect(site.verify).toMatchObject({ verdict: 'verified', dataPath: '/var/www/html', tables: [], damaged: { failed: true } });
    expect(site.verify?.files?.count).toBeGreaterThan(100);

    // The project's service runs a newer PostgreSQL than the one that wrote the data: it refuses to start on it.
    if (LOCAL) {
      const newer = await verify([
        '--from',
        artifacts.volumeGz!,
        '-f',
        'examples/verify/compose.yaml',
        '--service',
        'db',
        '--env-file',
        'examples/compose/stand-ins.env',
      ]);
      expect(newer.exitCode).toBe(1);
      expect(newer.verify?.problems[0]).toMatch(/did not start on the restored data.*(incompatible|initialized by PostgreSQL version 15)/);
    }
  });

  test('a pg_basebackup in tar format fills a new data directory with its WAL, pg_verifybackup agrees, and the server recovers to the backup on it; held too high, it fails', async () => {
    const run = await verifiedOrders(artifacts.basebackup!);
    expect(run.verify?.artifact).toMatchObject({ format: 'pg-basebackup', shape: 'directory' });
    expect(run.verify?.restore.steps.map((step) => step.command)).toEqual([
      'tar -x -p --numeric-owner -C /volume',
      'tar -x -p --numeric-owner -C /volume/pg_wal',
      // The throwaway never archives: it must not push WAL into the team's archive.
      "archive_mode = 'off' in postgresql.auto.conf",
    ]);
    // The image's own pg_verifybackup read the extracted files and their WAL against the manifest before the server started.
    expect(run.verify?.integrity).toEqual([expect.objectContaining({ tool: 'pg_verifybackup', passed: true })]);
    await heldTooHigh(artifacts.basebackup!);
    // A backup that no longer matches its manifest (a file's recorded checksum changed) is a fault, though it restores.
    const altered = join(scratch, 'basebackup-altered');
    await cp(artifacts.basebackup!, altered, { recursive: true });
    await execa('chmod', ['-R', 'u+w', altered]);
    const manifest = await readFile(join(altered, 'backup_manifest'), 'utf8');
    await writeFile(
      join(altered, 'backup_manifest'),
      manifest.replace(/"Checksum": "([0-9a-f])/, (_all, digit) => `"Checksum": "${digit === '0' ? '1' : '0'}`),
    );
    const faulted = await verify(['--from', altered, '--image', POSTGRES]);
    expect(faulted.exitCode).toBe(1);
    expect(faulted.verify?.problems.join(' ')).toMatch(/^pg_verifybackup found a fault in the artifact: .*(checksum|manifest)/);
  });
});

describe("persist verify: Redis's own files", () => {
  test("Redis's dump.rdb loads into a new server, redis-check-rdb agrees, and a cut copy fails; short, it fails; a service with appendonly yes ignores it, and the report says why", async () => {
    const run = await verify(['--from', artifacts.rdb!, '--expect', await expectFile('expect:\n  - sql: DBSIZE\n    equals: 300\n')]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.verify).toMatchObject({ verdict: 'verified', dataPath: '/data', tables: [{ database: 'db0', rows: 300 }], damaged: { failed: true } });
    expect(run.verify?.integrity[0]).toMatchObject({ tool: 'redis-check-rdb', passed: true });
    const short = await verify(['--from', artifacts.rdb!, '--expect', await expectFile('expect:\n  - sql: DBSIZE\n    min: 301\n')]);
    expect(short.exitCode).toBe(1);
    expect(short.verify?.problems).toEqual(['Expected DBSIZE ≥ 301; observed 300.']);

    const compose = join(scratch, 'cache.yaml');
    await writeFile(
      compose,
      `services:\n  cache:\n    image: ${REDIS}\n    command: redis-server --appendonly yes\n    volumes:\n      - cache:/data\nvolumes:\n  cache:\n`,
    );
    const aof = await verify(['--from', artifacts.rdb!, '-f', compose, '--service', 'cache']);
    expect(aof.exitCode).toBe(1);
    expect(aof.verify?.problems[0]).toMatch(/appendonly yes, and with no AOF .* Redis ignores dump.rdb and starts empty/);
  });

  test("Redis's AOF folder loads into a new server started with appendonly yes, redis-check-aof agrees, and a cut increment fails", async () => {
    const run = await verify(['--from', artifacts.aof!, '--expect', await expectFile('expect:\n  - sql: DBSIZE\n    equals: 600\n')]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.verify).toMatchObject({
      verdict: 'verified',
      artifact: { format: 'redis-aof', unchanged: true },
      tables: [{ rows: 600 }],
      damaged: { failed: true },
    });
    expect(run.verify?.integrity[0]).toMatchObject({ tool: 'redis-check-aof', passed: true });
    expect(run.verify?.damaged?.how).toMatch(/incr\.aof: cut at byte/);
    // The project's Redis as configured (appendonly no) never reads it: said, not a loss found later.
    const compose = join(scratch, 'cache-rdb.yaml');
    await writeFile(compose, `services:\n  cache:\n    image: ${REDIS}\n    volumes:\n      - cache:/data\nvolumes:\n  cache:\n`);
    const ignored = await verify(['--from', artifacts.aof!, '-f', compose, '--service', 'cache']);
    expect(ignored.exitCode).toBe(1);
    expect(ignored.verify?.problems[0]).toMatch(/appendonly no: it never reads an AOF folder/);
  });
});

describe('persist verify: backup tools and your own restore', () => {
  test("restic's and borg's repositories restore their newest snapshot into the service, each tool checks every byte, and the repository is only read; held too high, restic's fails", async () => {
    for (const [repository, env, tool] of [
      [artifacts.restic!, { RESTIC_PASSWORD: REPOSITORY_PASSWORD }, 'restic check --read-data'],
      [artifacts.borg!, { BORG_PASSPHRASE: REPOSITORY_PASSWORD }, 'borg check --verify-data (on a copy)'],
    ] as const) {
      const run = await verifiedOrders(repository, [], env);
      // Held too high through one repository: the expectations after a restore are the same code for both (and each costs a full check of every byte).
      if (repository === artifacts.restic) await heldTooHigh(repository, ['--image', POSTGRES], env);
      expect(run.verify?.artifact).toMatchObject({ shape: 'directory', unchanged: true });
      expect(run.verify?.integrity).toEqual([expect.objectContaining({ tool, passed: true })]);
      expect(run.stdout).not.toContain(REPOSITORY_PASSWORD);
    }
    const wrong = await verify(['--from', artifacts.restic!, '--image', POSTGRES], { RESTIC_PASSWORD: 'not-it' });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.report.harnessErrors[0]).toMatch(/does not open with the password in verify's environment/);
  });

  test.skipIf(!PGBACKREST)(
    "a pgBackRest repository restores through the team's own restore command with the tool in their image; its damaged copy fails, and held too high it fails",
    async () => {
      const restore = [
        'docker run --rm --label "$PERSIST_LABEL" -v "$PERSIST_ARTIFACT:/repo:ro" -v "$PERSIST_VOLUME:$PERSIST_DATA_PATH"',
        ...PGBACKREST_ENV.map((e) => `-e ${e}`),
        // pgBackRest retries a file that fails (15 s apart): a verification wants the damaged copy's first error.
        '"$PERSIST_IMAGE" pgbackrest --type=immediate --target-action=promote --job-retry=0 restore',
      ].join(' ');
      const run = await verifiedOrders(artifacts.pgbackrest!, ['--restore', restore], {}, PGBACKREST!);
      await heldTooHigh(artifacts.pgbackrest!, ['--image', PGBACKREST!, '--restore', restore]);
      expect(run.verify).toMatchObject({ artifact: { format: 'command', shape: 'directory', unchanged: true }, damaged: { failed: true } });
      expect(run.verify?.damaged?.reason).toMatch(/restore failed/);
    },
  );

  test('your own restore command fills the empty volume from the artifact (its damaged copy too), and the service is started on it', async () => {
    const restore = `bzip2 -dc "$PERSIST_ARTIFACT" | docker run -i --rm --label "$PERSIST_LABEL" -v "$PERSIST_VOLUME:/restore" ${TOOLBOX} tar -x -C /restore --strip-components 1`;
    const run = await verifiedOrders(artifacts.bzip2!, ['--restore', restore]);
    expect(run.verify).toMatchObject({ artifact: { format: 'command' }, dataPath: '/var/lib/postgresql/data' });
    // Without it, the same file is no format persist knows.
    expect((await verify(['--from', artifacts.bzip2!, '--image', POSTGRES])).report.harnessErrors[0]).toMatch(/is not a backup of a format persist knows/);
  });
});

describe('persist verify: the nightly evidence', () => {
  test('the nightly workflow example, its commands run in order on the worked example, verifies the backup and leaves the evidence where the upload looks', async () => {
    const workflow = await readWorkflow<{ on: { schedule: unknown[] }; jobs: Record<string, { env: Record<string, string>; steps: WorkflowStep[] }> }>(
      'persist-verify.yml',
    );
    expect(workflow.on.schedule.length).toBeGreaterThan(0);
    const job = Object.values(workflow.jobs)[0]!;
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(upload).toMatchObject({ if: 'always()', with: { path: '${{ env.PERSIST_REPORT }}' } });
    // What the two checkouts leave: the project at the top, persist in .persist.
    const project = join(scratch, 'nightly');
    await cp(join(ROOT, 'examples/verify'), project, { recursive: true });
    await symlink(ROOT, join(project, '.persist'));
    const env = {
      ...job.env,
      BACKUP_SOURCE: artifacts.custom!,
      ...(LOCAL ? { PERSIST_COMPOSE_ARGS: `${job.env.PERSIST_COMPOSE_ARGS} --env-file ${join(ROOT, 'examples/compose/stand-ins.env')}` } : {}),
      PERSIST_QUIET: '1',
    };
    const ran: string[] = [];
    for (const step of job.steps.filter((s) => s.run && s.id !== 'install')) {
      const result = await execa('bash', ['-e', '-c', step.run!], { cwd: project, env, reject: false, all: true });
      expect(result.exitCode, `${step.name}: ${result.all}`).toBe(0);
      ran.push(step.name!);
    }
    expect(ran).toEqual(["Fetch last night's backup", "Pull your service's image", "Verify last night's backup"]);
    const kept = join(project, job.env.PERSIST_REPORT!);
    for (const file of ['report.json', 'report.md', 'report.html', 'report.junit.xml', 'last-verified.json'])
      await expect(stat(join(kept, file))).resolves.toBeTruthy();
    expect(JSON.parse(await readFile(join(kept, 'last-verified.json'), 'utf8'))).toMatchObject({ verdict: 'verified', damagedCopy: { failed: true } });
  });
});

describe('persist verify: refusals and interruptions', () => {
  test('Ctrl-C during a verification removes its containers, volumes and scratch folders, and leaves the artifact as it was', async () => {
    const before = await fingerprint(artifacts.volumeGz!);
    const child = execa(
      process.execPath,
      [
        'bin/persist.js',
        'verify',
        ...(LOCAL ? ['--images', 'local'] : []),
        '--from',
        artifacts.volumeGz!,
        '--image',
        POSTGRES,
        '--out',
        join(scratch, 'interrupted'),
      ],
      { cwd: ROOT, reject: false, env: { PERSIST_QUIET: '0' } },
    );
    // Its first progress line names its run, once Ctrl-C is its own to handle.
    let said = '';
    let ended = false;
    child.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    void child.finally(() => (ended = true));
    const deadline = deadlineIn(120_000);
    const runIdSaid = () => /verify: run (verify-\S+)/.exec(said)?.[1];
    while (!deadline.passed() && runIdSaid() === undefined && !ended) await sleep(50);
    const runId = runIdSaid();
    if (runId === undefined) throw new Error(`the verification never named its run: ${said}`);
    // Until its throwaway server is up: the restore's helper and the server, with their volume.
    while (!deadline.passed() && (await leftovers(runId)).filter((thing) => thing.startsWith('container')).length < 2) await sleep(100);
    if ((await leftovers(runId)).length === 0) {
      const ended = await child;
      throw new Error(`the verification made nothing to interrupt (exit ${ended.exitCode}): ${ended.stdout} ${said}`);
    }
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, said).toBe(130);
    expect(await leftovers(runId)).toEqual([]);
    await expect(stat(join(tmpdir(), 'persistence-harness', runId))).rejects.toThrow(/ENOENT/);
    expect(await fingerprint(artifacts.volumeGz!)).toEqual(before);
  });

  test('a file that is no backup, a missing one and an unknown format are one sentence each, exit 2, with a report', async () => {
    const notBackup = join(scratch, 'notes.txt');
    await writeFile(notBackup, 'shopping list\n');
    const refused = await verify(['--from', notBackup]);
    expect(refused.exitCode).toBe(2);
    expect(refused.report.harnessErrors).toEqual([
      expect.stringMatching(
        /notes\.txt is not a backup of a format persist knows \(pg-basebackup, pgbackrest, pg-custom, .*, restic, borg\)\. Name its format/,
      ),
    ]);
    const missing = await verify(['--from', join(scratch, 'missing.dump')]);
    expect(missing.report.harnessErrors[0]).toMatch(/There is no file or folder at/);
    const unknown = await verify(['--from', notBackup, '--format', 'tape']);
    expect(unknown.report.harnessErrors[0]).toMatch(/--format tape is not a format persist restores/);
    expect(await leftovers(refused.report.runId, missing.report.runId, unknown.report.runId)).toEqual([]);
  });
});
