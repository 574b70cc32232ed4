// `persist verify --archive`: a pg_basebackup and the WAL archive its server kept writing after
// it, each made here by the real tools under writes (archive_command, pg_basebackup, pg_switch_wal),
// verified as a team would: the window read from the archive and proved at points inside it, the
// restore replayed to its end; the same archive with one segment in the middle gone ends its
// window there, named; gzip'd by archive_command, it is read and replayed the same.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startSeedServer } from './seed-server.ts';
import { sleep } from '../../src/timing/clock.ts';
import { verifyRun } from './verify-run.ts';

const LOCAL = loadConfig().imageSet === 'local';
const POSTGRES = LOCAL ? 'persistence-harness/postgres:17' : 'postgres:17';
const LABEL = 'persistence-harness.test=verify-archive';
const ROUNDS = 5;
let scratch = '';
let base = '';
let archive = '';
/** The source's clock after each round of orders committed: a point in time between two rounds. */
const afterRound: string[] = [];

const psql = (id: string, sql: string) =>
  execa('docker', ['exec', id, 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop', '-Atc', sql]);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-verify-archive-'));
  archive = join(scratch, 'archive');
  await mkdir(archive);
  await mkdir(join(scratch, 'backup'));
  // The server's user writes both folders, as it would on the team's machine.
  await chmod(archive, 0o777);
  await chmod(join(scratch, 'backup'), 0o777);
  const source = await startSeedServer(POSTGRES, ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop'], 'pg_isready -q -h 127.0.0.1', [
    '--label',
    LABEL,
    '-v',
    `${archive}:/archive`,
    '-v',
    `${join(scratch, 'backup')}:/backup`,
  ]);
  try {
    // archive_command as the PostgreSQL documentation writes it.
    await archiving(source, 'test ! -f /archive/%f && cp %p /archive/%f');
    await execa('docker', ['exec', '-u', 'postgres', source, 'pg_basebackup', '-D', '/backup/base', '-Ft', '-X', 'none', '-c', 'fast']);
    await execa('docker', ['exec', '-u', 'postgres', source, 'pg_basebackup', '-D', '/backup/plain', '-Fp', '-X', 'none', '-c', 'fast']);
    afterRound.push(...(await ordersAfterTheBackup(source)));
  } finally {
    await execa('docker', ['rm', '-fv', source], { reject: false });
  }
  base = join(scratch, 'backup', 'base');
}, 180_000);

/** The source archives its WAL with this command (archive_mode takes a restart), and holds the backup's 100 orders. */
async function archiving(source: string, command: string): Promise<void> {
  await psql(source, 'ALTER SYSTEM SET archive_mode = on');
  await psql(source, `ALTER SYSTEM SET archive_command = '${command}'`);
  await execa('docker', ['restart', source]);
  await untilReady(source);
  await psql(source, 'CREATE TABLE orders (id serial PRIMARY KEY, placed_at timestamptz NOT NULL DEFAULT clock_timestamp(), total int NOT NULL)');
  await psql(source, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 100) g');
}

/** Orders keep coming after the backup, each round's WAL segment sent to the archive: the source's clock after each round. */
async function ordersAfterTheBackup(source: string): Promise<string[]> {
  const after: string[] = [];
  // A moment after it: the backup's stop time is kept to the second.
  await sleep(1_100);
  for (let round = 0; round < ROUNDS; round += 1) {
    await psql(source, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 50) g; SELECT pg_switch_wal();');
    after.push((await psql(source, `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)).stdout.trim());
  }
  await psql(source, 'SELECT pg_switch_wal()');
  await untilArchived(source);
  return after;
}

async function untilReady(id: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await execa('docker', ['exec', id, 'pg_isready', '-q', '-h', '127.0.0.1'], { reject: false })).exitCode === 0) return;
    await sleep(100);
  }
  throw new Error('the source did not come back');
}

async function untilArchived(id: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { stdout } = await psql(id, "SELECT count(*) FROM pg_ls_dir('pg_wal/archive_status') f WHERE f LIKE '%.ready'");
    if (stdout.trim() === '0') return;
    await sleep(100);
  }
  throw new Error('the archiver did not catch up');
}

afterAll(async () => {
  const ids = (await execa('docker', ['ps', '-aq', '--filter', `label=${LABEL}`])).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await execa('docker', ['rm', '-fv', ...ids], { reject: false });
  // The timeline test's volume, where its restored server did not get as far as removing it.
  const volumes = (await execa('docker', ['volume', 'ls', '-q', '--filter', `label=${LABEL}`])).stdout.split('\n').filter(Boolean);
  if (volumes.length > 0) await execa('docker', ['volume', 'rm', '-f', ...volumes], { reject: false });
  await rm(scratch, { recursive: true, force: true });
});

const verify = (args: string[]) => verifyRun(scratch, args);

const ordersIn = (run: Awaited<ReturnType<typeof verify>>) => run.verify?.tables.find((t) => t.table === 'public.orders')?.rows;

/** The orders a restore to `at` must hold: the backup's 100, and 50 for each round committed by then (its commit lies between two clock readings). */
function ordersBy(at: string, rounds: readonly string[] = afterRound): { atLeast: number; atMost: number } {
  const t = Date.parse(at);
  const surely = rounds.filter((after) => Date.parse(after) <= t).length;
  const maybe = rounds.filter((_, i) => i === 0 || Date.parse(rounds[i - 1]!) < t).length;
  return { atLeast: 100 + 50 * surely, atMost: 100 + 50 * maybe };
}

/** The window proved at its start, a point inside and its end: each restore holds the orders as of its point, its replay stopped at the archive's last commit by then. */
function expectWindowProved(run: Awaited<ReturnType<typeof verify>>, rounds: readonly string[] = afterRound): void {
  const targets = run.verify!.targets!;
  expect(targets.map((t) => t.point)).toEqual(['start', 'between', 'end']);
  for (const target of targets) {
    const { atLeast, atMost } = ordersBy(target.at, rounds);
    expect(target.rows, target.at).toBeGreaterThanOrEqual(atLeast);
    expect(target.rows, target.at).toBeLessThanOrEqual(atMost);
    // Where the server says it stopped is where the archive says it must: its last commit by then.
    expect(target.replayedTo ? Date.parse(target.replayedTo) : null).toBe(target.expected ? Date.parse(target.expected) : null);
    expect(target.replay?.bytes).toBeGreaterThan(0);
  }
}

describe('persist verify --archive: a base backup and its WAL archive', () => {
  test('proves the window at its start, inside it and at its end, each restore holding the orders as of its point and stopped at the archive’s last commit by then; the archive without a middle segment is the damaged copy, and its window ends there', async () => {
    const expectations = join(scratch, 'fresh.yaml');
    await writeFile(expectations, 'fresh:\n  sql: select max(placed_at) from orders\n  database: shop\n  maxAge: 30d\n');
    const whole = await verify(['--from', base, '--archive', archive, '--image', POSTGRES, '--expect', expectations]);
    expect(whole.exitCode, whole.stdout + whole.stderr).toBe(0);
    expect(ordersIn(whole)).toBe(100 + ROUNDS * 50);
    const window = whole.verify!.window!;
    expect(window).toMatchObject({ archive, gaps: [] });
    expect(window.commits).toBeGreaterThanOrEqual(ROUNDS);
    expect(Date.parse(window.end!)).toBeGreaterThan(Date.parse(window.start!));
    const targets = whole.verify!.targets!;
    expect(targets.map((t) => t.kind)).toEqual(['time', 'time', 'end']);
    expectWindowProved(whole);
    expect(targets.at(-1)).toMatchObject({ rows: 100 + ROUNDS * 50, expected: window.end });
    // The damaged copy is the archive without a segment from its middle: the window ends there, the restore holds less.
    expect(whole.verify!.damaged).toMatchObject({
      failed: true,
      how: expect.stringMatching(/^the archive without [0-9A-F]{24} \(the middle of the \d+ segments/),
    });
    expect(whole.verify!.damaged!.reason).toMatch(
      /^its window ends at .*, where [0-9A-F]{24} is missing .*and the restore stopped there: .*public\.orders has \d+ rows, not 350/,
    );
    expect(whole.verify!.integrity).toContainEqual(expect.objectContaining({ tool: 'pg_verifybackup', passed: true }));
    expect(await readFile(join(whole.out, 'report.md'), 'utf8')).toContain('The recovery window');
    expect(await readFile(join(whole.out, 'report.html'), 'utf8')).toContain('<svg class="timeline"');
  });

  test('gzip’d by archive_command and a segment gone from its middle: read and replayed the same up to the gap, named; a time after the first round is reached, one past the gap cannot be; a week promised is not kept: exit 1', async () => {
    const holed = join(scratch, 'holed');
    await execa('cp', ['-a', archive, holed]);
    const files = await readdir(holed);
    const segments = files.filter((name) => /^[0-9A-F]{24}$/.test(name)).sort();
    // Four past where the last base backup started (its stop switches to the next): the first two rounds lie before it, the last after.
    const lastBackup = files
      .filter((name) => name.endsWith('.backup'))
      .sort()
      .at(-1)!
      .slice(0, 24);
    const missing = segments[segments.indexOf(lastBackup) + 4]!;
    await rm(join(holed, missing));
    await execa('sh', ['-c', 'gzip "$1"/*[0-9A-F]', 'sh', holed]);
    // What the team promises of its archive (x-persist's verify.window): a week of history.
    const promises = join(scratch, 'promises.yaml');
    await writeFile(promises, 'window:\n  atLeast: 7d\n');
    const cut = await verify([
      '--from',
      base,
      '--archive',
      holed,
      '--image',
      POSTGRES,
      '--at',
      afterRound[0]!,
      '--at',
      afterRound.at(-1)!,
      '--expect',
      promises,
    ]);
    expect(cut.exitCode).toBe(1);
    expect(cut.verify!.window!.gaps).toEqual([expect.objectContaining({ missing })]);
    expect(cut.verify!.problems).toEqual([
      expect.stringMatching(new RegExp(`^The archive cannot be replayed past .*: ${missing} is missing, so the \\d+ commit`)),
      expect.stringMatching(/^The archive's window spans \d+s, less than the 7d promised \(verify\.window\.atLeast\)\.$/),
      expect.stringMatching(new RegExp(`^--at .* cannot be reached: the archive can be replayed only to .*, where ${missing} is missing\\.$`)),
    ]);
    const [between, past] = cut.verify!.targets!;
    expect(between).toMatchObject({ point: 'asked', kind: 'time', rows: 100 + 50 });
    expect(Date.parse(between!.replayedTo!)).toBeLessThanOrEqual(Date.parse(afterRound[0]!));
    expect(past).toMatchObject({ kind: 'unreachable', rows: null });
    expect(ordersIn(cut)).toBeLessThan(100 + ROUNDS * 50);
    // The restore reads gzip'd segments through the same restore_command, and so does pg_verifybackup.
    expect(cut.verify!.integrity).toContainEqual(expect.objectContaining({ tool: 'pg_verifybackup', passed: true }));
    expect(cut.verify!.damaged).toMatchObject({ failed: true, how: expect.stringMatching(/^the archive without [0-9A-F]{24}\.gz /) });
  });
});

// The bad day the window is for: the team restored to a time and promoted, and the restored
// server archives a second timeline into the same folder (its 00000002.history first). Recovery
// follows the newest timeline whose history it finds; without that file it stays on the first.
describe('persist verify --archive: a timeline switch in the archive', () => {
  let branched = '';
  /** The clock between the new timeline's two rounds of orders. */
  let onTheNewTimeline = '';
  beforeAll(async () => {
    branched = join(scratch, 'branched');
    await execa('cp', ['-a', archive, branched]);
    const volume = `persist-test-branch-${process.pid}`;
    const data = '/var/lib/postgresql/data';
    const settings = [
      "restore_command = 'cp /archive/%f %p'",
      `recovery_target_time = '${afterRound[1]!.replace('T', ' ').replace('Z', '+00')}'`,
      "recovery_target_action = 'promote'",
    ].join('\n');
    await execa('docker', ['volume', 'create', '--label', LABEL, volume]);
    try {
      // The backup restored as the documentation does it: the base extracted, recovery.signal; its own archive_command archives on.
      const restore = `tar -xf /backup/base.tar -C ${data} && printf '%s\n' "${settings}" >> ${data}/postgresql.auto.conf && touch ${data}/recovery.signal && chown -R postgres ${data} && chmod 700 ${data}`;
      await execa('docker', ['run', '--rm', '--label', LABEL, '-v', `${volume}:${data}`, '-v', `${base}:/backup:ro`, POSTGRES, 'sh', '-c', restore]);
      const { stdout } = await execa('docker', ['run', '-d', '--label', LABEL, '-v', `${volume}:${data}`, '-v', `${branched}:/archive`, POSTGRES]);
      const restored = stdout.trim();
      await untilPromoted(restored);
      await psql(restored, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 15) g');
      onTheNewTimeline = (await psql(restored, `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)).stdout.trim();
      await psql(restored, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 15) g');
      await psql(restored, 'SELECT pg_switch_wal()');
      await untilArchived(restored);
      await execa('docker', ['rm', '-fv', restored]);
    } finally {
      await execa('docker', ['volume', 'rm', '-f', volume], { reject: false });
    }
  }, 120_000);

  async function untilPromoted(id: string): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const answer = await execa('docker', ['exec', id, 'psql', '-X', '-U', 'postgres', '-d', 'shop', '-Atc', 'SELECT pg_is_in_recovery()'], { reject: false });
      if (answer.stdout.trim() === 'f') return;
      await sleep(200);
    }
    throw new Error(`the restored server did not promote: ${(await execa('docker', ['logs', '--tail', '15', id], { reject: false })).stderr}`);
  }

  test('the window goes on along the new timeline and a point on it holds its orders; without the history file the window ends on the old one, the new timeline named unreachable', async () => {
    // The orders by the restore's target: the backup's 100 and two rounds, then 15 and 15 on timeline 2.
    const kept = ordersBy(afterRound[1]!).atLeast;
    const run = await verify(['--from', base, '--archive', branched, '--image', POSTGRES, '--at', onTheNewTimeline]);
    expect(run.exitCode, JSON.stringify(run.verify?.problems)).toBe(0);
    expect(run.verify!.window).toMatchObject({ timelines: [1, 2], gaps: [] });
    expect(run.verify!.targets).toEqual([expect.objectContaining({ point: 'asked', kind: 'time', rows: kept + 15 })]);
    expect(ordersIn(run)).toBe(kept + 30);

    const lost = join(scratch, 'branched-without-history');
    await execa('cp', ['-a', branched, lost]);
    await rm(join(lost, '00000002.history'));
    const cut = await verify(['--from', base, '--archive', lost, '--image', POSTGRES, '--at', onTheNewTimeline]);
    expect(cut.exitCode).toBe(1);
    expect(cut.verify!.window!.gaps).toEqual([expect.objectContaining({ missing: '00000002.history', resumesAt: expect.stringMatching(/^00000002/) })]);
    expect(cut.verify!.window!.timelines).toBeUndefined();
    // Recovery replays what it can follow: the first timeline to its end, the orders the team walked away from.
    expect(ordersIn(cut)).toBe(100 + ROUNDS * 50);
    expect(cut.verify!.targets).toEqual([expect.objectContaining({ kind: 'unreachable', rows: null })]);
    expect(cut.verify!.problems).toContainEqual(expect.stringMatching(/00000002\.history is missing/));
  });
});

describe('persist verify --archive: a plain-format base backup', () => {
  test('the data directory pg_basebackup -Fp wrote, copied and replayed to a point: the orders as of it', async () => {
    const run = await verify(['--from', join(scratch, 'backup', 'plain'), '--archive', archive, '--image', POSTGRES, '--at', afterRound[0]!]);
    expect(run.exitCode, JSON.stringify(run.verify?.problems)).toBe(0);
    expect(run.verify!.artifact.format).toBe('pg-basebackup');
    expect(run.verify!.restore.steps[0]!.command).toBe('cp -a <the plain base backup>/.');
    expect(run.verify!.targets).toEqual([expect.objectContaining({ point: 'asked', kind: 'time', rows: 150 })]);
    expect(ordersIn(run)).toBe(100 + ROUNDS * 50);
    expect(run.verify!.integrity).toContainEqual(expect.objectContaining({ tool: 'pg_verifybackup', passed: true }));
  });
});

describe('persist verify --archive: refusals', () => {
  test('--archive beside anything but a base backup is one sentence, exit 2', async () => {
    const dump = join(scratch, 'shop.sql');
    await writeFile(dump, '--\n-- PostgreSQL database dump\n--\n');
    const refused = await verify(['--from', dump, '--archive', archive, '--image', POSTGRES]);
    expect(refused.exitCode).toBe(2);
    expect(refused.report.harnessErrors).toEqual([
      expect.stringMatching(/^--archive goes with a base backup whose archive persist reads, and .* is a pg_dump plain SQL dump\./),
    ]);
  });
});

// pgBackRest as its user guide sets it up: archive_command `pgbackrest archive-push %p`, a stanza,
// a full backup; orders keep coming after it. persist reads the stanza and the newest backup from
// the repository and drives the image's own pgbackrest.
const PGBACKREST = LOCAL ? 'persistence-harness/postgres:15-pgbackrest' : undefined;

describe.skipIf(!PGBACKREST)('persist verify: a pgBackRest repository, driven by persist', () => {
  let repository = '';
  const rounds: string[] = [];
  beforeAll(async () => {
    repository = join(scratch, 'pgbackrest-repo');
    await mkdir(repository);
    await chmod(repository, 0o777);
    const settings = ['PGBACKREST_REPO1_PATH=/repo', 'PGBACKREST_PG1_PATH=/var/lib/postgresql/data', 'PGBACKREST_STANZA=shop', 'PGBACKREST_LOG_LEVEL_FILE=off'];
    const source = await startSeedServer(PGBACKREST!, ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop', ...settings], 'pg_isready -q -h 127.0.0.1', [
      '--label',
      LABEL,
      '-v',
      `${repository}:/repo`,
    ]);
    try {
      await archiving(source, 'pgbackrest archive-push %p');
      await execa('docker', ['exec', '-u', 'postgres', source, 'pgbackrest', 'stanza-create']);
      await execa('docker', ['exec', '-u', 'postgres', source, 'pgbackrest', '--type=full', '--start-fast', 'backup']);
      rounds.push(...(await ordersAfterTheBackup(source)));
    } finally {
      await execa('docker', ['rm', '-fv', source], { reject: false });
    }
    // As a backup is kept: nobody writes to it any more.
    await execa('chmod', ['-R', 'a-w', repository]);
  }, 180_000);

  test('--from the repository alone: pgbackrest restore to the window’s start, inside it and its end, each with the orders as of its point; the repository without a middle segment ends the window there', async () => {
    const run = await verify(['--from', repository, '--image', PGBACKREST!]);
    expect(run.exitCode, JSON.stringify(run.verify?.problems)).toBe(0);
    expect(run.verify!.artifact).toMatchObject({ format: 'pgbackrest', unchanged: true });
    expect(ordersIn(run)).toBe(100 + ROUNDS * 50);
    expect(run.verify!.restore.steps[0]!.command).toMatch(
      /^pgbackrest --stanza=shop --repo1-path=\/persist-archive .*--set=\d{8}-\d{6}F .*--type=default restore$/,
    );
    expectWindowProved(run, rounds);
    expect(run.verify!.damaged).toMatchObject({ failed: true, how: expect.stringMatching(/^the archive without [0-9A-F]{24}-[0-9a-f]{40}\.gz /) });
    // The team's own restore command still takes precedence, told the time to stop at (pgBackRest's --target takes its form).
    const restore = [
      'docker run --rm --label "$PERSIST_LABEL" -v "$PERSIST_ARTIFACT:$PERSIST_ARCHIVE_AT:ro" -v "$PERSIST_VOLUME:$PERSIST_DATA_PATH" "$PERSIST_IMAGE"',
      'pgbackrest --stanza=shop --repo1-path="$PERSIST_ARCHIVE_AT" --pg1-path="$PERSIST_DATA_PATH" --log-level-file=off --lock-path=/tmp/pgbackrest --job-retry=0',
      '--set="$(ls "$PERSIST_ARTIFACT/backup/shop" | grep -E "F$" | sort | tail -n 1)"',
      '${PERSIST_TARGET_TIME:+--type=time "--target=$PERSIST_TARGET_TIME" --target-action=promote} restore',
    ].join(' ');
    const own = await verify(['--from', repository, '--image', PGBACKREST!, '--restore', restore, '--at', rounds[0]!]);
    expect(own.exitCode, JSON.stringify(own.verify?.problems)).toBe(0);
    expect(own.verify!.artifact.format).toBe('command');
    expect(own.verify!.targets).toEqual([expect.objectContaining({ kind: 'time', rows: 150 })]);
    expect(own.verify!.damaged).toMatchObject({ failed: true, how: expect.stringMatching(/^the archive without /) });
    // An --archive beside it is one sentence: the repository holds its own.
    const twice = await verify(['--from', repository, '--archive', archive, '--image', PGBACKREST!]);
    expect(twice.exitCode).toBe(2);
    expect(twice.report.harnessErrors[0]).toMatch(/is a pgBackRest repository .*: it holds its own archive\./);
  });
});

// Barman as its documentation sets it up for a server it backs up with backup_method postgres
// (pg_basebackup over a streaming connection) and WAL shipped by archive_command into its incoming
// folder, run here on this machine against a container: Debian's barman with its own
// pg_basebackup (15: the server must be no newer). persist reads the server folder alone.
const POSTGRES_15 = LOCAL ? 'persistence-harness/postgres:15' : 'postgres:15';

describe('persist verify: a Barman server folder', () => {
  const home = () => join(scratch, 'barman');
  const server = () => join(home(), 'shop');
  const rounds: string[] = [];
  beforeAll(async () => {
    await mkdir(join(server(), 'incoming'), { recursive: true });
    await chmod(join(server(), 'incoming'), 0o777);
    const source = await startSeedServer(
      POSTGRES_15,
      ['POSTGRES_PASSWORD=seed', 'POSTGRES_DB=shop'],
      'pg_isready -q -h 127.0.0.1',
      ['--label', LABEL, '-v', `${join(server(), 'incoming')}:/incoming`],
      ['-c', 'archive_mode=on', '-c', 'archive_command=test ! -f /incoming/%f && cp %p /incoming/%f'],
    );
    try {
      // pg_basebackup's streaming connection, from this machine.
      await execa('docker', ['exec', source, 'sh', '-c', 'echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"']);
      await psql(source, 'SELECT pg_reload_conf()');
      const address = (await execa('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', source])).stdout.trim();
      const config = join(home(), 'barman.conf');
      const connection = `host=${address} user=postgres password=seed`;
      await writeFile(
        config,
        [
          '[barman]',
          `barman_home = ${home()}`,
          `barman_user = ${userInfo().username}`,
          `log_file = ${join(scratch, 'barman.log')}`,
          `barman_lock_directory = ${scratch}`,
          'compression = gzip',
          '[shop]',
          `conninfo = ${connection} dbname=postgres`,
          `streaming_conninfo = ${connection}`,
          'backup_method = postgres',
          'archiver = on',
          '',
        ].join('\n'),
      );
      const barman = (...args: string[]) => execa('barman', ['-c', config, ...args]);
      await psql(source, 'CREATE TABLE orders (id serial PRIMARY KEY, placed_at timestamptz NOT NULL DEFAULT clock_timestamp(), total int NOT NULL)');
      await psql(source, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 100) g');
      await barman('switch-wal', '--force', '--archive', 'shop');
      await barman('backup', 'shop');
      await sleep(1_100);
      for (let round = 0; round < 3; round += 1) {
        await psql(source, 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 50) g');
        rounds.push((await psql(source, `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)).stdout.trim());
        await psql(source, 'SELECT pg_switch_wal()');
      }
      await untilArchived(source);
      // What `barman cron` does each minute: the shipped segments into wals/.
      await barman('archive-wal', 'shop');
    } finally {
      await execa('docker', ['rm', '-fv', source], { reject: false });
    }
    await execa('chmod', ['-R', 'a-w', server()]);
  }, 180_000);

  test('--from the server folder alone: its newest backup and wals/ restored as barman recover does, the window proved at its start, inside it and its end; without a middle segment the window ends there', async () => {
    const run = await verify(['--from', server(), '--image', POSTGRES_15]);
    expect(run.exitCode, JSON.stringify(run.verify?.problems)).toBe(0);
    expect(run.verify!.artifact).toMatchObject({ format: 'barman', unchanged: true });
    expect(ordersIn(run)).toBe(100 + 3 * 50);
    expect(run.verify!.window).toMatchObject({ gaps: [] });
    expectWindowProved(run, rounds);
    expect(run.verify!.integrity).toContainEqual(expect.objectContaining({ tool: 'pg_verifybackup', passed: true }));
    expect(run.verify!.damaged).toMatchObject({
      failed: true,
      how: expect.stringMatching(/^the archive without [0-9A-F]{24} \(the middle/),
    });
  });
});

// MariaDB's point-in-time recovery as its documentation does it: the server writes binary logs
// (--log-bin), a mariadb-backup is taken, the logs are copied beside it as they are rotated, and a
// restore is the backup prepared and copied back, then the logs fed to the server from the
// position the backup recorded. The logs keep whole seconds: the rounds are a second apart.
const MARIADB = LOCAL ? 'persistence-harness/mysql:10.11' : 'mariadb:10.11';

describe('persist verify --archive: a mariadb-backup and the binary logs beside it', () => {
  const folder = () => join(scratch, 'mariadb');
  const rounds: string[] = [];
  const passwords = ['MARIADB_ROOT_PASSWORD=seed', 'MYSQL_ROOT_PASSWORD=seed'];
  beforeAll(async () => {
    await mkdir(join(folder(), 'binlogs'), { recursive: true });
    const source = await startSeedServer(
      MARIADB,
      [...passwords, 'MARIADB_DATABASE=shop', 'MYSQL_DATABASE=shop'],
      'mariadb-admin ping --silent -h 127.0.0.1 --protocol=tcp -uroot -pseed',
      ['--label', LABEL, '-v', `${folder()}:/out`],
      ['--log-bin=mysql-bin', '--server-id=1'],
    );
    const sql = (statement: string) => execa('docker', ['exec', source, 'mariadb', '-uroot', '-pseed', '-N', '-B', 'shop', '-e', statement]);
    try {
      await sql('CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, placed_at datetime(6) NOT NULL DEFAULT utc_timestamp(6), total int NOT NULL)');
      await sql('INSERT INTO orders (total) SELECT seq FROM seq_1_to_100');
      await execa('docker', ['exec', source, 'sh', '-c', 'mariadb-backup --backup --target-dir=/out/base -uroot -pseed 2>/dev/null']);
      for (let round = 0; round < 3; round += 1) {
        await sleep(1_100);
        await sql('INSERT INTO orders (total) SELECT seq FROM seq_1_to_50; FLUSH BINARY LOGS');
        rounds.push(`${(await sql('SELECT utc_timestamp(6)')).stdout.trim().replace(' ', 'T')}Z`);
      }
      // As a team's job copies them: every finished log, then the one being written.
      await execa('docker', ['exec', source, 'sh', '-c', 'cp /var/lib/mysql/mysql-bin.[0-9]* /out/binlogs/']);
    } finally {
      await execa('docker', ['rm', '-fv', source], { reject: false });
    }
    await execa('chmod', ['-R', 'a-w', folder()]);
  }, 180_000);

  test('the window proved at its start, inside it and its end, each restore holding the orders of the seconds before its point; the logs without a middle file end the window there', async () => {
    const run = await verify([
      '--from',
      join(folder(), 'base'),
      '--archive',
      join(folder(), 'binlogs'),
      '--image',
      MARIADB,
      ...passwords.flatMap((p) => ['--env', p]),
    ]);
    expect(run.exitCode, JSON.stringify(run.verify?.problems)).toBe(0);
    expect(ordersIn(run) ?? run.verify?.tables.find((t) => t.table === 'orders')?.rows).toBe(100 + 3 * 50);
    expect(run.verify!.restore.steps.map((step) => step.command)).toContainEqual(
      expect.stringMatching(/^mariadb-binlog --start-position=\d+ mysql-bin\.\d{6}…mysql-bin\.\d{6} \(\d+ file\(s\)\) \| mariadb$/),
    );
    const targets = run.verify!.targets!;
    expect(targets.map((t) => [t.point, t.kind])).toEqual([
      ['start', 'time'],
      ['between', 'time'],
      ['end', 'end'],
    ]);
    for (const target of targets.slice(0, -1)) {
      // mariadb-binlog --stop-datetime takes whole seconds: a point holds what was committed before its second.
      const { atLeast, atMost } = ordersBy(new Date(Math.floor(Date.parse(target.at) / 1_000) * 1_000).toISOString(), rounds);
      expect(target.rows, target.at).toBeGreaterThanOrEqual(atLeast);
      expect(target.rows, target.at).toBeLessThanOrEqual(atMost);
    }
    expect(targets.at(-1)).toMatchObject({ rows: 100 + 3 * 50, replayedTo: run.verify!.window!.end });
    expect(run.verify!.phases.map((phase) => phase.phase)).toContain('replay');
    expect(run.verify!.damaged).toMatchObject({ failed: true, how: expect.stringMatching(/^the archive without mysql-bin\.\d{6} \(the middle/) });
  });
});
