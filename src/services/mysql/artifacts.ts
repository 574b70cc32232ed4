// MySQL's and MariaDB's backup files, restored with the image's own tools: a mysqldump (or
// mariadb-dump) SQL file, gzip or zstd on the outside being the caller's, and a mariadb-backup
// folder, prepared and copied back into a new data directory. The client stops at the
// first error (it is never given --force), so a damaged dump fails where it breaks.
import { shellQuote } from '../../terminal/shell-quote.ts';
import { HarnessError } from '../../errors.ts';
import type { ArtifactHead, ArtifactKit, Filled, RestoreStep, RunInServer, TableCount } from '../artifact-kits.ts';
import { restoreStep } from '../restore-step.ts';
import { lastLines } from '../../terminal/last-lines.ts';
import type { InventoryObject, ObjectKind, SequenceState } from '../../data/inventory.ts';
import { binlogReplayed, readBinlogWindow, replayBinlogs } from './binlog-window.ts';
import { ACCOUNTS_SQL, OBJECTS_SQL, SEQUENCE_STATEMENTS_SQL, SYSTEM_SCHEMAS } from './inventory.ts';

/**
 * The image's client as root: mariadb in MariaDB 11's images, mysql in MySQL's; the password from
 * the image's own variables, or the file its _FILE variable names (a Compose or Swarm secret).
 */
const ROOT_PASSWORD =
  '${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-$(cat "${MARIADB_ROOT_PASSWORD_FILE:-${MYSQL_ROOT_PASSWORD_FILE:-/dev/null}}" 2>/dev/null)}}';
const CLIENT_PROGRAM = '"$(command -v mariadb || command -v mysql)" -uroot';
const CLIENT = `${CLIENT_PROGRAM} --password="${ROOT_PASSWORD}"`;

const text = (head: ArtifactHead) => (head.shape === 'file' ? head.bytes.toString('latin1') : '');

function shell(script: string, ...args: string[]): string[] {
  return ['sh', '-c', script, 'sh', ...args];
}

/** The one database a dump holds, as its header names it; undefined for a dump of several (`--databases`, `--all-databases`). */
export function dumpDatabase(head: string): string | undefined {
  const named = /^-- Host: .*?Database: (\S+)\s*$/m.exec(head)?.[1];
  return named === undefined || /^CREATE DATABASE /m.test(head) ? undefined : named;
}

const step = restoreStep;

const identifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

async function sql(run: RunInServer, script: string, database?: string) {
  return run(
    shell(`exec ${CLIENT} -N -B ${database === undefined ? '' : '--database="$1"'}`, ...(database === undefined ? [] : [database])),
    Buffer.from(script),
  );
}

/** A mariadb-backup folder (Percona's xtrabackup before it) is told by its checkpoints file. */
const BACKUP_CHECKPOINTS = /(^|\/)(xtrabackup|mariadb_backup)_checkpoints$/;

/**
 * The documented physical restore, run in the service's own image (its mariadb-backup is the
 * server's version, as the tool requires): --prepare on a copy of the folder (it rewrites the
 * files it prepares), then --copy-back into the empty data directory, owned by the server's user.
 * Exit 10 is the prepare's failure, 11 the copy-back's.
 */
function physicalRestoreScript(folder: string, dataPath: string): string {
  return [
    'tool="$(command -v mariadb-backup || command -v mariabackup)" || { echo "this image has no mariadb-backup (the official MariaDB images ship it)"; exit 127; }',
    // mariadb-backup prepares only a backup of its own server version: told apart before it tries.
    `backed="$(sed -n 's/^server_version = \\([0-9]*\\.[0-9]*\\).*/\\1/p' ${shellQuote(`${folder}/mariadb_backup_info`)} ${shellQuote(`${folder}/xtrabackup_info`)} 2>/dev/null | head -n 1)"`,
    `mine="$("$tool" --version 2>&1 | sed -n 's/.*MariaDB server \\([0-9]*\\.[0-9]*\\).*/\\1/p' | head -n 1)"`,
    'if [ -n "$backed" ] && [ -n "$mine" ] && [ "$backed" != "$mine" ]; then echo "versions $backed $mine"; exit 13; fi',
    `cp -a ${shellQuote(`${folder}/.`)} /tmp/persist-backup || exit 12`,
    '"$tool" --prepare --target-dir=/tmp/persist-backup >/tmp/prepare.log 2>&1 || { tail -n 3 /tmp/prepare.log; exit 10; }',
    'tail -n 1 /tmp/prepare.log; echo "--- copy-back"',
    `"$tool" --copy-back --target-dir=/tmp/persist-backup --datadir=${shellQuote(dataPath)} >/tmp/copy.log 2>&1 || { tail -n 3 /tmp/copy.log; exit 11; }`,
    `chown -R mysql:mysql ${shellQuote(dataPath)}`,
  ].join('\n');
}

/** What the prepare and the copy-back did, from the one script's exit code and output. */
export function physicalRestoreOutcome(exitCode: number, output: string): Filled {
  const versions = exitCode === 13 ? /versions (\S+) (\S+)/.exec(output) : null;
  if (versions)
    throw new HarnessError(
      `The backup was taken of MariaDB ${versions[1]} and this image's mariadb-backup is ${versions[2]}: it prepares only backups of its own version.`,
      `Verify it with --image mariadb:${versions[1]}.`,
    );
  const [prepared = '', copied = ''] = output.split('--- copy-back');
  const said = (text: string) => lastLines(text, 2) || `exit ${exitCode}`;
  const prepare = { command: 'mariadb-backup --prepare (on a copy of the folder)', ok: exitCode !== 10 && exitCode !== 12 && exitCode !== 127 };
  if (exitCode === 12 || exitCode === 127) return { steps: [{ ...prepare, command: 'copying the folder to prepare it', detail: said(prepared) }] };
  const integrity = [{ tool: 'mariadb-backup --prepare', passed: prepare.ok, detail: said(prepared) }];
  if (!prepare.ok) return { steps: [{ ...prepare, detail: `exit ${exitCode}: ${said(prepared)}` }], integrity };
  const copyBack = { command: 'mariadb-backup --copy-back', ok: exitCode === 0, ...(exitCode === 0 ? {} : { detail: `exit ${exitCode}: ${said(copied)}` }) };
  return { steps: [prepare, copyBack], integrity };
}

/** A physical backup brings its own users: the root password in the environment must be the backed-up server's. */
function deniedSentence(stderr: string): string | undefined {
  return /Access denied for user/.test(stderr)
    ? "persist could not log in as root with the root password in the environment: a physical backup brings the backed-up server's own users, so give its root password (--env MARIADB_ROOT_PASSWORD=…, or the service's environment)"
    : undefined;
}

/** Exits 0 once the server answers over TCP. */
const READY = ['sh', '-c', '"$(command -v mariadb-admin || command -v mysqladmin)" ping --silent -h 127.0.0.1 --protocol=tcp'];

export const artifactKit: ArtifactKit = {
  formats: [
    {
      id: 'mysqldump',
      title: 'a mysqldump (or mariadb-dump) SQL dump',
      recognise: (head) => /^-- (?:MySQL|MariaDB) dump /m.test(text(head).slice(0, 4096)),
    },
    {
      id: 'mariabackup',
      title: 'a mariadb-backup (mariabackup) folder',
      recognise: (head) => head.shape === 'directory' && head.names.some((name) => BACKUP_CHECKPOINTS.test(name)),
      fillsDataDirectory: true,
    },
  ],

  async fill(_format, filler) {
    const checkpoints = filler.names.find((name) => BACKUP_CHECKPOINTS.test(name))!;
    const folder = checkpoints.includes('/') ? `${filler.artifactPath}/${checkpoints.slice(0, checkpoints.lastIndexOf('/'))}` : filler.artifactPath;
    const result = await filler.inServerImage(physicalRestoreScript(folder, filler.dataPath));
    return physicalRestoreOutcome(result.exitCode, result.output);
  },

  // MariaDB's point-in-time recovery: the backup restored and the server started, then its binary
  // logs fed to it from the position the backup recorded.
  archive: {
    formats: ['mariabackup'],
    selfContained: [],
    read: (reader) => readBinlogWindow(reader),
    // The server replays nothing itself: it is ready to be fed once it answers.
    replayedCommand: READY,
    replay: (run, archive) => replayBinlogs(run, archive, CLIENT),
    replayed: (run) => binlogReplayed(run),
  },

  throwawayEnvironment: (environment): Record<string, string> =>
    ['MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'].some((name) => environment[name])
      ? {}
      : { MYSQL_ROOT_PASSWORD: `persist-verify-${process.pid}`, MARIADB_ROOT_PASSWORD: `persist-verify-${process.pid}` },

  // The entrypoint's first-start server runs with --skip-networking: only the real one answers over TCP.
  readyCommand: READY,

  async serverVersion(run) {
    return (await sql(run, 'SELECT VERSION();\n')).stdout.toString().trim();
  },

  async restore(run, _format, artifact) {
    const database = dumpDatabase(text(artifact.head));
    const steps: RestoreStep[] = [];
    if (database !== undefined)
      steps.push(step(`CREATE DATABASE IF NOT EXISTS ${database}`, await sql(run, `CREATE DATABASE IF NOT EXISTS ${identifier(database)};\n`)));
    if (steps.every((s) => s.ok)) {
      const command = `${CLIENT_PROGRAM} --password=…${database === undefined ? '' : ` --database=${database}`}`;
      steps.push(
        step(
          command,
          await run(shell(`exec ${CLIENT} ${database === undefined ? '' : '--database="$1"'}`, ...(database === undefined ? [] : [database])), 'artifact'),
        ),
      );
    }
    return { steps, integrity: [], ...(database === undefined ? {} : { database }) };
  },

  async inventory(run, format) {
    const rows = async (script: string) => {
      const result = await sql(run, script);
      if (result.exitCode !== 0) throw new Error(deniedSentence(result.stderr) ?? `listing the objects failed: ${lastLines(result.stderr, 3)}`);
      return result.stdout
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t'));
    };
    const objects: InventoryObject[] = (await rows(OBJECTS_SQL)).map(([kind, database, name, definer]) => ({
      kind: kind as ObjectKind,
      database: database!,
      name: name!,
      ...(definer && definer !== 'NULL' ? { owner: definer } : {}),
    }));
    const statements = (await rows(SEQUENCE_STATEMENTS_SQL)).map(([statement]) => statement).join('\n');
    const sequences: SequenceState[] = (statements ? await rows(`${statements}\n`) : []).map(
      ([database, name, next, increment, table, column, unique, highest]) => ({
        database: database!,
        name: name!,
        next: Number(next),
        increment: Number(increment),
        feeds:
          table && table !== 'NULL'
            ? { table: table, column: column!, highest: highest && highest !== 'NULL' ? Number(highest) : null, unique: unique === '1' }
            : null,
      }),
    );
    const definers = [...new Set(objects.flatMap((object) => (object.owner ? [object.owner] : [])))].sort();
    // A dump of databases carries no accounts: a definer the new server lacks is one to bring (its objects fail when they run).
    const accounts = new Set((await rows(ACCOUNTS_SQL)).map(([account]) => account));
    const missing = definers.filter((definer) => !accounts.has(definer));
    return {
      engine: 'mysql',
      objects,
      sequences,
      roles: definers,
      rolesNote:
        format === 'mysqldump' && missing.length > 0
          ? `A dump of databases carries no accounts: a restore into a new server must create ${missing.join(', ')} first (the definers its views, routines, triggers and events run as), or they fail when called.`
          : null,
    };
  },

  async tables(run) {
    const listing = await sql(
      run,
      `SELECT CONCAT('SELECT ', QUOTE(table_schema), ', ', QUOTE(table_name), ', COUNT(*) FROM \`', REPLACE(table_schema, '\`', '\`\`'), '\`.\`', REPLACE(table_name, '\`', '\`\`'), '\`;')
       FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN (${SYSTEM_SCHEMAS}) ORDER BY table_schema, table_name;\n`,
    );
    if (listing.exitCode !== 0) throw new Error(deniedSentence(listing.stderr) ?? `listing the tables failed: ${lastLines(listing.stderr, 3)}`);
    const statements = listing.stdout.toString().trim();
    if (statements === '') return [];
    const counted = await sql(run, `${statements}\n`);
    if (counted.exitCode !== 0) throw new Error(`counting the rows failed: ${lastLines(counted.stderr, 3)}`);
    return counted.stdout
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line): TableCount => {
        const [database, table, rows] = line.split('\t');
        return { database: database!, table: table!, rows: Number(rows) };
      });
  },

  async value(run, query, database) {
    const result = await sql(run, `${query.replace(/;\s*$/, '')};\n`, database);
    if (result.exitCode !== 0) throw new Error(lastLines(result.stderr, 3));
    const first = result.stdout.toString().split('\n')[0];
    return first === undefined || first === '' || first === 'NULL' ? undefined : first.split('\t')[0];
  },
};
