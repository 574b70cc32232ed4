// Benchmark: `persist verify --at` beside the same point-in-time restore done by hand with each
// tool's documented steps, for each archive kind persist drives: a pg_basebackup with its WAL
// archive (recovery.signal, restore_command, recovery_target_time), a pgBackRest repository
// (`pgbackrest restore --type=time`; the stand-in image that carries it, so `--images local`
// only), a Barman server folder (`barman recover --target-time` on this machine) and a mariadb-backup with the server's binary logs (prepare, copy-back, `mariadb-binlog
// --stop-datetime | mariadb`). Each is made once under a write load; then per trial, by hand:
// the restore, the server started on it until it has replayed to the point (PostgreSQL: until
// `pg_is_in_recovery()` says false; MariaDB: the logs fed to it), and every table counted; and
// persist's restore to the same point (its `targets[0]`: restore + replay + checks, and the
// replay with its rate). `npm run bench:verify-archive [-- --images local]` (BENCH_TRIALS,
// default 3). Nothing is asserted.
import { postgresTime } from '../src/timing/time-forms.ts';
import { binlogStopText } from '../src/services/mysql/binlog-archive.ts';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { HarnessConfig } from '../src/config.ts';
import { RUN_LABEL, newRunId } from '../src/docker/labels.ts';
import { sweepRun } from '../src/docker/run-scope.ts';
import type { VerifyReport } from '../src/report/model.ts';
import { median } from '../src/report/stats.ts';
import { deadlineIn, epochMs, sleep, stopwatch } from '../src/timing/clock.ts';
import { benchConfig, needImages, runBench } from './bench-kit.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
const ROOT = new URL('../', import.meta.url).pathname;
const runId = newRunId();
const label = `${RUN_LABEL}=${runId}`;
const PGBACKREST = 'persistence-harness/postgres:15-pgbackrest';
const PASSWORDS = ['MARIADB_ROOT_PASSWORD=bench', 'MYSQL_ROOT_PASSWORD=bench'];

/** One kind of archive, made once: what persist is given, and the steps a person would take to the same point. */
interface Kind {
  name: string;
  image: string;
  /** persist's arguments, its --at a point a little past the middle of the write load. */
  args: string[];
  byHand: () => Promise<{ restoreMs: number; replayMs: number; checksMs: number }>;
}

const docker = (args: string[], input?: string) => execa('docker', args, input === undefined ? {} : { input });

async function untilOk(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = deadlineIn(180_000);
  while (!(await check())) {
    if (deadline.passed()) throw new Error(`${what} did not happen within 3 minutes`);
    await sleep(100);
  }
}

async function server(image: string, env: string[], mounts: string[], command: string[] = []): Promise<string> {
  const { stdout } = await docker([
    'run',
    '-d',
    '--pull',
    'never',
    '--label',
    label,
    ...env.flatMap((e) => ['-e', e]),
    ...mounts.flatMap((m) => ['-v', m]),
    image,
    ...command,
  ]);
  return stdout.trim();
}

/** Whether the server answers this query with this value, over TCP as a client would. */
const pgSays = (id: string, sql: string, value: string) => async () =>
  (await execa('docker', ['exec', id, 'psql', '-X', '-At', '-U', 'postgres', '-h', '127.0.0.1', '-c', sql], { reject: false })).stdout.trim() === value;

/** The steps by hand, each timed on one clock: the restore into a new volume, the server on it until it has replayed, the count. */
async function timedByHand(steps: {
  restore: (volume: string) => Promise<unknown>;
  replay: (volume: string) => Promise<string>;
  count: (server: string) => Promise<unknown>;
}): Promise<{ restoreMs: number; replayMs: number; checksMs: number }> {
  const volume = (await docker(['volume', 'create', '--label', label])).stdout.trim();
  const restoring = stopwatch();
  await steps.restore(volume);
  const restoreMs = restoring.ms();
  const replaying = stopwatch();
  const id = await steps.replay(volume);
  const replayMs = replaying.ms();
  const checking = stopwatch();
  await steps.count(id);
  const checksMs = checking.ms();
  await docker(['rm', '-fv', id]);
  await docker(['volume', 'rm', volume]);
  return { restoreMs, replayMs, checksMs };
}

/** A PostgreSQL server on the restored volume, the archive where its restore_command looks, once it has replayed and promoted. */
async function promotedOn(image: string, volume: string, archive: string): Promise<string> {
  const id = await server(image, ['POSTGRES_PASSWORD=bench'], [`${volume}:/var/lib/postgresql/data`, `${archive}:/persist-archive:ro`]);
  await untilOk(pgSays(id, 'SELECT pg_is_in_recovery()', 'f'), 'the replay to the point');
  return id;
}

/** Whether a MariaDB server answers over TCP. */
const mariadbAnswers = (id: string) => async () =>
  (await execa('docker', ['exec', id, 'mariadb-admin', 'ping', '--silent', '-h', '127.0.0.1', '--protocol=tcp', '-uroot', '-pbench'], { reject: false }))
    .exitCode === 0;

/** Every table's rows, as verify counts them. */
async function countPg(id: string): Promise<void> {
  await docker(
    ['exec', '-i', id, 'psql', '-X', '-At', '-U', 'postgres', '-d', 'postgres'],
    "SELECT format('SELECT count(*) FROM %I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \\gexec\n",
  );
}

/** The middle of a window's commits, a little past it, from the source's clock. */
function between(first: string, last: string): string {
  const a = Date.parse(first);
  return new Date(a + (Date.parse(last) - a) * 0.6).toISOString();
}

/** pgbench for a while on a server archiving its WAL: the first and last moment of the load. */
async function pgbenchLoad(id: string): Promise<{ first: string; last: string }> {
  const now = async () =>
    (
      await docker([
        'exec',
        id,
        'psql',
        '-X',
        '-At',
        '-U',
        'postgres',
        '-c',
        `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      ])
    ).stdout.trim();
  await sleep(1_100);
  const first = await now();
  await docker(['exec', '-u', 'postgres', id, 'pgbench', '-T', '12', '-R', '100', '-c', '4', 'postgres']);
  const last = await now();
  await docker(['exec', id, 'psql', '-X', '-At', '-U', 'postgres', '-c', 'SELECT pg_switch_wal()']);
  await sleep(2_000);
  return { first, last };
}

async function basebackupKind(folder: string, image: string): Promise<Kind> {
  const archive = join(folder, 'wal');
  const backup = join(folder, 'backup');
  for (const dir of [archive, backup]) {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o777);
  }
  const id = await server(
    image,
    ['POSTGRES_PASSWORD=bench'],
    [`${archive}:/archive`, `${backup}:/backup`],
    ['-c', 'archive_mode=on', '-c', 'archive_command=test ! -f /archive/%f && cp %p /archive/%f'],
  );
  await untilOk(pgSays(id, 'SELECT 1', '1'), 'the source answering');
  await docker(['exec', '-u', 'postgres', id, 'pgbench', '-i', '-s', '5', '-q', 'postgres']);
  await docker(['exec', '-u', 'postgres', id, 'pg_basebackup', '-D', '/backup/base', '-Ft', '-X', 'none', '-c', 'fast']);
  const load = await pgbenchLoad(id);
  await docker(['rm', '-fv', id]);
  const at = between(load.first, load.last);
  const base = join(backup, 'base');
  return {
    name: 'pg_basebackup + WAL',
    image,
    args: ['--from', base, '--archive', archive, '--image', image, '--at', at],
    byHand: () => {
      const target = postgresTime(at);
      const recovery = `printf '%s\\n' "restore_command = 'cp /persist-archive/%f \\"%p\\"'" "recovery_target_time = '${target}'" "recovery_target_action = 'promote'" >> postgresql.auto.conf`;
      return timedByHand({
        restore: (volume) =>
          docker([
            ...['run', '--rm', '--label', label, '-v', `${volume}:/var/lib/postgresql/data`, '-v', `${base}:/b:ro`, image],
            ...[
              'sh',
              '-c',
              `cd /var/lib/postgresql/data && tar -xf /b/base.tar && touch recovery.signal && ${recovery} && chown -R postgres:postgres . && chmod 700 .`,
            ],
          ]),
        replay: (volume) => promotedOn(image, volume, archive),
        count: countPg,
      });
    },
  };
}

async function pgbackrestKind(folder: string): Promise<Kind> {
  const repository = join(folder, 'repo');
  await mkdir(repository, { recursive: true });
  await chmod(repository, 0o777);
  const settings = ['PGBACKREST_REPO1_PATH=/repo', 'PGBACKREST_PG1_PATH=/var/lib/postgresql/data', 'PGBACKREST_STANZA=bench', 'PGBACKREST_LOG_LEVEL_FILE=off'];
  const id = await server(
    PGBACKREST,
    ['POSTGRES_PASSWORD=bench', ...settings],
    [`${repository}:/repo`],
    ['-c', 'archive_mode=on', '-c', 'archive_command=pgbackrest archive-push %p'],
  );
  await untilOk(pgSays(id, 'SELECT 1', '1'), 'the source answering');
  await docker(['exec', '-u', 'postgres', id, 'pgbench', '-i', '-s', '5', '-q', 'postgres']);
  await docker(['exec', '-u', 'postgres', id, 'pgbackrest', 'stanza-create']);
  await docker(['exec', '-u', 'postgres', id, 'pgbackrest', '--type=full', '--start-fast', 'backup']);
  const load = await pgbenchLoad(id);
  await docker(['rm', '-fv', id]);
  const at = between(load.first, load.last);
  const set = (await readdir(join(repository, 'backup', 'bench')))
    .filter((name) => name.endsWith('F'))
    .sort()
    .at(-1)!;
  return {
    name: 'pgBackRest',
    image: PGBACKREST,
    args: ['--from', repository, '--image', PGBACKREST, '--at', at],
    byHand: () => {
      const options = ['--stanza=bench', '--repo1-path=/persist-archive', '--pg1-path=/var/lib/postgresql/data', '--log-level-file=off', `--set=${set}`];
      const target = ['--type=time', `--target=${postgresTime(at)}`, '--target-action=promote'];
      return timedByHand({
        restore: (volume) =>
          docker([
            ...['run', '--rm', '--label', label, '-v', `${volume}:/var/lib/postgresql/data`, '-v', `${repository}:/persist-archive:ro`, PGBACKREST],
            ...['pgbackrest', ...options, ...target, 'restore'],
          ]),
        replay: (volume) => promotedOn(PGBACKREST, volume, repository),
        count: countPg,
      });
    },
  };
}

/**
 * Barman on this machine (backup_method postgres, WAL shipped into its incoming folder) against a
 * PostgreSQL 15 container: Debian's barman brings pg_basebackup 15, which backs up no newer server.
 * By hand: `barman recover --target-time` into a folder, copied into the volume, the server on it.
 */
async function barmanKind(folder: string, image: string): Promise<Kind> {
  const server15 = join(folder, 'home', 'bench');
  await mkdir(join(server15, 'incoming'), { recursive: true });
  await chmod(join(server15, 'incoming'), 0o777);
  const id = await server(
    image,
    ['POSTGRES_PASSWORD=bench'],
    [`${join(server15, 'incoming')}:/incoming`],
    ['-c', 'archive_mode=on', '-c', 'archive_command=test ! -f /incoming/%f && cp %p /incoming/%f'],
  );
  await untilOk(pgSays(id, 'SELECT 1', '1'), 'the source answering');
  await docker(['exec', id, 'sh', '-c', 'echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"']);
  await docker(['exec', id, 'psql', '-X', '-U', 'postgres', '-c', 'SELECT pg_reload_conf()']);
  const address = (await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id])).stdout.trim();
  const config = join(folder, 'barman.conf');
  const connection = `host=${address} user=postgres password=bench`;
  const lines = [
    ...['[barman]', `barman_home = ${join(folder, 'home')}`, `barman_user = ${userInfo().username}`, `log_file = ${join(folder, 'barman.log')}`],
    ...[`barman_lock_directory = ${folder}`, 'compression = gzip', '[bench]', `conninfo = ${connection} dbname=postgres`],
    ...[`streaming_conninfo = ${connection}`, 'backup_method = postgres', 'archiver = on', ''],
  ];
  await writeFile(config, lines.join('\n'));
  const barman = (...args: string[]) => execa('barman', ['-c', config, ...args]);
  await docker(['exec', '-u', 'postgres', id, 'pgbench', '-i', '-s', '5', '-q', 'postgres']);
  await barman('switch-wal', '--force', '--archive', 'bench');
  await barman('backup', 'bench');
  const load = await pgbenchLoad(id);
  await docker(['rm', '-fv', id]);
  await barman('archive-wal', 'bench');
  const at = between(load.first, load.last);
  return {
    name: 'Barman',
    image,
    args: ['--from', server15, '--image', image, '--at', at],
    byHand: () => {
      const recovered = join(folder, `recovered-${Math.random().toString(36).slice(2)}`);
      return timedByHand({
        restore: async (volume) => {
          await barman('recover', '--target-time', postgresTime(at), '--target-action', 'promote', 'bench', 'latest', recovered);
          await docker([
            ...['run', '--rm', '--label', label, '-v', `${volume}:/var/lib/postgresql/data`, '-v', `${recovered}:/r:ro`, image],
            ...[
              'sh',
              '-c',
              'cp -a /r/. /var/lib/postgresql/data/ && chown -R postgres:postgres /var/lib/postgresql/data && chmod 700 /var/lib/postgresql/data',
            ],
          ]);
          await rm(recovered, { recursive: true, force: true });
        },
        replay: (volume) => promotedOn(image, volume, join(folder, 'home')),
        count: countPg,
      });
    },
  };
}

async function binlogKind(folder: string, image: string): Promise<Kind> {
  await mkdir(join(folder, 'mariadb', 'binlogs'), { recursive: true });
  const out = join(folder, 'mariadb');
  const id = await server(image, [...PASSWORDS, 'MARIADB_DATABASE=shop', 'MYSQL_DATABASE=shop'], [`${out}:/out`], ['--log-bin=mysql-bin', '--server-id=1']);
  const sql = (statement: string) => docker(['exec', id, 'mariadb', '-uroot', '-pbench', '-N', '-B', 'shop', '-e', statement]);
  await untilOk(mariadbAnswers(id), 'the source answering');
  await sql('CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, placed_at datetime(6) NOT NULL DEFAULT utc_timestamp(6), note varchar(100) NOT NULL)');
  await sql('INSERT INTO orders (note) SELECT md5(seq) FROM seq_1_to_200000');
  await docker(['exec', id, 'sh', '-c', 'mariadb-backup --backup --target-dir=/out/base -uroot -pbench 2>/dev/null']);
  await sleep(1_100);
  const first = new Date(epochMs()).toISOString();
  for (let second = 0; second < 12; second += 1) {
    await sql('INSERT INTO orders (note) SELECT md5(seq) FROM seq_1_to_2000; FLUSH BINARY LOGS');
    await sleep(1_000);
  }
  const last = new Date(epochMs()).toISOString();
  await docker(['exec', id, 'sh', '-c', 'cp /var/lib/mysql/mysql-bin.[0-9]* /out/binlogs/']);
  await docker(['rm', '-fv', id]);
  const at = between(first, last);
  const stop = binlogStopText(at);
  const position = (await readFile(join(out, 'base', 'xtrabackup_binlog_info'), 'utf8')).split(/\s+/);
  return {
    name: 'mariadb-backup + binlogs',
    image,
    args: ['--from', join(out, 'base'), '--archive', join(out, 'binlogs'), '--image', image, '--at', at, ...PASSWORDS.flatMap((p) => ['--env', p])],
    byHand: () =>
      timedByHand({
        restore: (volume) =>
          docker([
            ...['run', '--rm', '--label', label, '-v', `${volume}:/var/lib/mysql`, '-v', `${join(out, 'base')}:/b:ro`, image, 'sh', '-c'],
            'cp -a /b/. /tmp/b && mariadb-backup --prepare --target-dir=/tmp/b >/dev/null 2>&1 && mariadb-backup --copy-back --target-dir=/tmp/b --datadir=/var/lib/mysql >/dev/null 2>&1 && chown -R mysql:mysql /var/lib/mysql',
          ]),
        replay: async (volume) => {
          const id2 = await server(image, PASSWORDS, [`${volume}:/var/lib/mysql`, `${join(out, 'binlogs')}:/persist-archive:ro`]);
          await untilOk(mariadbAnswers(id2), 'the restored server answering');
          const files = (await readdir(join(out, 'binlogs'))).filter((name) => /\.\d{6}$/.test(name) && name >= position[0]!).sort();
          await docker([
            'exec',
            id2,
            'sh',
            '-c',
            `cd /persist-archive && mariadb-binlog --start-position=${position[1]} --stop-datetime='${stop}' ${files.join(' ')} | mariadb -uroot -pbench`,
          ]);
          return id2;
        },
        count: (id2) => docker(['exec', id2, 'mariadb', '-uroot', '-pbench', '-N', '-B', 'shop', '-e', 'SELECT count(*) FROM orders']),
      }),
  };
}

/** persist's restore to the same point, from its report. */
async function byVerify(kind: Kind, folder: string, config: HarnessConfig) {
  const out = join(folder, `verify-${Math.random().toString(36).slice(2)}`);
  const images = config.imageSet === 'local' ? ['--images', 'local'] : [];
  const result = await execa(process.execPath, ['bin/persist.js', 'verify', ...images, ...kind.args, '--out', out], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1' },
  });
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as VerifyReport;
  const target = report.verify?.targets?.[0];
  if (result.exitCode !== 0 || !target?.recoveryMs)
    throw new Error(`persist verify did not verify ${kind.name} (exit ${result.exitCode}): ${report.verify?.problems.join(' ')}`);
  return { recoveryMs: target.recoveryMs, replayMs: target.replay?.ms ?? 0, bytesPerSecond: target.replay?.bytesPerSecond ?? null };
}

await runBench('bench:verify-archive', async () => {
  const config = benchConfig();
  await needImages(config, ['postgres', 'mysql']);
  const folder = await mkdtemp(join(tmpdir(), 'persist-bench-archive-'));
  try {
    // BENCH_KINDS=pg,pgbackrest,barman,mariadb (default all that the image set has).
    const wanted = (process.env.BENCH_KINDS ?? 'pg,pgbackrest,barman,mariadb').split(',');
    const kinds: Kind[] = [];
    if (wanted.includes('pg')) kinds.push(await basebackupKind(join(folder, 'pg'), config.images.postgres.reference));
    if (wanted.includes('pgbackrest') && config.imageSet === 'local') kinds.push(await pgbackrestKind(join(folder, 'pgbackrest')));
    if (wanted.includes('barman'))
      kinds.push(await barmanKind(join(folder, 'barman'), config.imageSet === 'local' ? 'persistence-harness/postgres:15' : 'postgres:15'));
    if (wanted.includes('mariadb')) kinds.push(await binlogKind(folder, config.images.mysql.reference));
    for (const kind of kinds) {
      const hand: Array<{ restoreMs: number; replayMs: number; checksMs: number }> = [];
      const persist: Array<Awaited<ReturnType<typeof byVerify>>> = [];
      for (let n = 0; n < TRIALS; n += 1) {
        hand.push(await kind.byHand());
        persist.push(await byVerify(kind, folder, config));
      }
      const ms = (values: number[]) => `${median(values).toFixed(0).padStart(6)} ms`;
      const rate = median(persist.map((t) => t.bytesPerSecond ?? 0));
      process.stdout.write(
        `${kind.name} (${kind.image}), to ${kind.args[kind.args.indexOf('--at') + 1]}, median of ${TRIALS}:\n` +
          `  by hand  restore + replay + checks ${ms(hand.map((t) => t.restoreMs + t.replayMs + t.checksMs))}   replay ${ms(hand.map((t) => t.replayMs))}\n` +
          `  verify   restore + replay + checks ${ms(persist.map((t) => t.recoveryMs))}   replay ${ms(persist.map((t) => t.replayMs))} (${(rate / 1024 / 1024).toFixed(1)} MiB/s)\n`,
      );
    }
  } finally {
    // BENCH_KEEP=1 leaves the artifacts and persist's reports to look at.
    if (process.env.BENCH_KEEP !== '1') await rm(folder, { recursive: true, force: true });
    await sweepRun(runId);
  }
});
