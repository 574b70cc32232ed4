// PostgreSQL's backup files, restored with the image's own pg_restore and psql: a pg_dump
// custom-format archive and a plain SQL dump (gzip or zstd on the outside is the caller's).
// Restores stop at the first error and load in one transaction, so a damaged dump cannot leave a
// half-loaded database that looks restored.
import { shellQuote } from '../../terminal/shell-quote.ts';
import { createInterface } from 'node:readline';
import { stopwatch } from '../../timing/clock.ts';
import { Readable } from 'node:stream';
import type { ArtifactHead, ArtifactKit, ArtifactStream, IntegrityResult, RestoreOutcome, RestoreStep, RunInServer, TableCount } from '../artifact-kits.ts';
import { restoreStep, unreadToTheEnd } from '../restore-step.ts';
import type { InventoryObject, ObjectKind, SequenceState } from '../../data/inventory.ts';
import { GRANTEES_SQL, OBJECTS_SQL, SEQUENCES_SQL } from './inventory.ts';
import { readBarmanWindow, readPgBackRestWindow, readWalWindow } from './wal-window.ts';
import { stanzasOf } from './pgbackrest.ts';
import { isBarmanServer } from './barman.ts';
import { BASE_TAR, fillFromBaseBackup, isPlainBaseBackup } from './base-backup-fill.ts';
import { lastLines } from '../../terminal/last-lines.ts';

/** psql as the image's superuser over the local socket (trusted in the official image), never reading a ~/.psqlrc. */
const PSQL = 'psql -X -q -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}"';
/** The database the official image creates from its environment: where a plain dump without a name goes. */
const DEFAULT_DATABASE = '${POSTGRES_DB:-${POSTGRES_USER:-postgres}}';

const CUSTOM_MAGIC = Buffer.from('PGDMP');
/** The archive format's version (its header's bytes 5 and 6) and the first pg_restore that reads it. */
const ARCHIVE_READERS: Record<string, number> = { '1.14': 12, '1.15': 16, '1.16': 17 };

/** pg_basebackup -Ft's files: the data directory, and with -X stream its WAL, each plain, gzip (-z) or zstd. */

const isFile = (head: ArtifactHead): head is Extract<ArtifactHead, { shape: 'file' }> => head.shape === 'file';
const text = (head: ArtifactHead) => (isFile(head) ? head.bytes.toString('latin1') : '');

/** `sh -c SCRIPT sh ARGS…`: values reach the script as "$1"…, never spliced into it. */
function shell(script: string, ...args: string[]): string[] {
  return ['sh', '-c', script, 'sh', ...args];
}

const step = restoreStep;

function archiveVersion(head: ArtifactHead): string | undefined {
  return isFile(head) && head.bytes.subarray(0, 5).equals(CUSTOM_MAGIC) ? `${head.bytes[5]}.${head.bytes[6]}` : undefined;
}

/** The major version of the pg_dump that wrote a plain dump, from its header. */
export function plainDumpMajor(head: string): number | undefined {
  const found = /^-- Dumped by pg_dump(?:all)? version (\d+)/m.exec(head);
  return found ? Number(found[1]) : undefined;
}

/** The role a plain dump's line hands an object to: it must exist before the dump loads (pg_dump writes no CREATE ROLE). */
export function ownerIn(line: string): string | undefined {
  const found = / OWNER TO ("(?:[^"]|"")+"|[A-Za-z_][\w$]*);$/.exec(line);
  return found ? found[1]!.replace(/^"|"$/g, '').replace(/""/g, '"') : undefined;
}

/** Every owner a plain dump names, read line by line (a dump can be larger than memory). */
async function ownersOf(read: ArtifactStream): Promise<string[]> {
  const owners = new Set<string>();
  for await (const line of createInterface({ input: read(), crlfDelay: Number.POSITIVE_INFINITY })) {
    const owner = line.includes(' OWNER TO ') ? ownerIn(line) : undefined;
    if (owner !== undefined) owners.add(owner);
  }
  return [...owners];
}

/**
 * The roles a custom archive's entries belong to, as `pg_restore --list` prints each entry's owner
 * last (`215; 1259 16386 TABLE public orders shop_owner`); entries without one end in a space.
 */
export function archiveOwners(list: string): string[] {
  const owners = new Set<string>();
  for (const line of list.split('\n')) {
    const found = /^\d+; \d+ \d+ .* (\S+)$/.exec(line);
    if (found) owners.add(found[1]!);
  }
  return [...owners];
}

/** The database a custom archive was dumped from, as `pg_restore --list` prints it. */
export function archiveDatabase(list: string): string | undefined {
  return /^;\s+dbname: (.+)$/m.exec(list)?.[1]?.trim();
}

async function ensureDatabase(run: RunInServer, name: string): Promise<RestoreStep> {
  const sql = "SELECT format('CREATE DATABASE %I', :'name') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \\gexec\n";
  return step(`CREATE DATABASE ${name} (unless it exists)`, await run(shell(`exec ${PSQL} -v name="$1" -d postgres`, name), Buffer.from(sql)));
}

async function ensureRoles(run: RunInServer, roles: readonly string[]): Promise<RestoreStep> {
  const sql = roles
    .map((role) => `SELECT format('CREATE ROLE %I', ${literal(role)}) WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) \\gexec`)
    .join('\n');
  return step(`CREATE ROLE ${roles.join(', ')} (the dump's owners, unless they exist)`, await run(shell(`exec ${PSQL} -d postgres`), Buffer.from(`${sql}\n`)));
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Where a directory-format dump is unpacked in the throwaway container, for pg_restore to read. */
const DIRECTORY_AT = '/tmp/persist-verify-dump';

/**
 * A pg_dump archive, custom (fed on standard input) or directory format (its folder unpacked in
 * the container first: pg_restore reads a directory's files by name).
 */
async function restoreArchive(run: RunInServer, format: 'pg-custom' | 'pg-directory'): Promise<RestoreOutcome> {
  const steps: RestoreStep[] = [];
  if (format === 'pg-directory') {
    steps.push(step(`tar -x -C ${DIRECTORY_AT} (the dump's folder)`, await run(shell('mkdir -p "$1" && exec tar -x -C "$1"', DIRECTORY_AT), 'artifact')));
    if (!steps[0]!.ok) return { steps, integrity: [] };
  }
  const source = format === 'pg-directory' ? [DIRECTORY_AT] : [];
  const input = format === 'pg-directory' ? undefined : 'artifact';
  const listing = stopwatch();
  const list = await run(['pg_restore', '--list', ...source], input);
  const integrityMs = listing.ms();
  const listed = step('pg_restore --list', list);
  steps.push(listed);
  const entries = list.stdout
    .toString()
    .split('\n')
    .filter((line) => /^\d+;/.test(line)).length;
  const integrity: IntegrityResult[] = [
    { tool: 'pg_restore --list', passed: listed.ok, detail: listed.ok ? `${entries} entries in its table of contents` : listed.detail! },
  ];
  if (!listed.ok) return { steps, integrity, integrityMs };
  const database = archiveDatabase(list.stdout.toString()) ?? 'restored';
  const roles = archiveOwners(list.stdout.toString());
  const created = await ensureDatabase(run, database);
  steps.push(created);
  if (!created.ok) return { steps, integrity, database, integrityMs, roles };
  // Roles and grants belong to the cluster, not to a pg_dump archive: loaded without them, as into any new server.
  const command = `pg_restore --exit-on-error --single-transaction --no-owner --no-privileges -U "\${POSTGRES_USER:-postgres}" -d "$1"${source.length ? ' "$2"' : ''}`;
  steps.push(step(command.replace('"$1"', database).replace('"$2"', DIRECTORY_AT), await run(shell(`exec ${command}`, database, ...source), input)));
  return { steps, integrity, database, integrityMs, roles };
}

async function restorePlain(run: RunInServer, read: ArtifactStream): Promise<RestoreOutcome> {
  const database = (await run(shell(`printf %s "${DEFAULT_DATABASE}"`))).stdout.toString();
  const steps: RestoreStep[] = [];
  const owners = await ownersOf(read).catch((error: Error) => error);
  if (owners instanceof Error)
    return {
      steps: [{ command: 'reading the dump for its owners', ok: false, detail: unreadToTheEnd(owners) }],
      integrity: [],
      database,
    };
  if (owners.length > 0) steps.push(await ensureRoles(run, owners));
  if (steps.every((s) => s.ok)) {
    const command = `${PSQL} --single-transaction -d "$1"`;
    steps.push(step(command.replace('"$1"', database), await run(shell(`exec ${command}`, database), 'artifact')));
  }
  return { steps, integrity: [], database, roles: owners };
}

const IDENTIFIER = '("(?:[^"]|"")+"|[A-Za-z_][\\w$]*)';
const unquote = (name: string) => name.replace(/^"|"$/g, '').replace(/""/g, '"');
const CREATE_ROLE = new RegExp(`^CREATE ROLE ${IDENTIFIER};$`);
const CREATE_DATABASE = new RegExp(`^CREATE DATABASE ${IDENTIFIER}[ ;]`);

/** The role or database a line of a pg_dumpall creates, if it creates one. */
export function createdBy(line: string): { role: string } | { database: string } | undefined {
  const role = CREATE_ROLE.exec(line);
  if (role) return { role: unquote(role[1]!) };
  const database = CREATE_DATABASE.exec(line);
  return database ? { database: unquote(database[1]!) } : undefined;
}

async function namesIn(run: RunInServer, query: string): Promise<Set<string>> {
  return new Set((await run(shell(`exec ${PSQL} -At -d postgres -c "$1"`, query))).stdout.toString().split('\n').filter(Boolean));
}

/**
 * A pg_dumpall restored as its documentation says, into a new cluster with psql, stopping at the
 * first error. A new cluster of the image already has its superuser and the database its
 * environment names: the dump's `CREATE ROLE` of a role that exists is left out (its `ALTER ROLE`
 * still sets it as dumped), and a database the dump creates that the new server made empty is
 * dropped first. No single transaction: CREATE DATABASE cannot run inside one.
 */
async function restoreCluster(run: RunInServer, read: ArtifactStream): Promise<RestoreOutcome> {
  const roles = new Set<string>();
  const databases = new Set<string>();
  try {
    for await (const line of createInterface({ input: read(), crlfDelay: Number.POSITIVE_INFINITY })) {
      const created = createdBy(line);
      if (created && 'role' in created) roles.add(created.role);
      else if (created) databases.add(created.database);
    }
  } catch (error) {
    return { steps: [{ command: 'reading the dump for its roles and databases', ok: false, detail: unreadToTheEnd(error as Error) }], integrity: [] };
  }
  const existingRoles = await namesIn(run, 'SELECT rolname FROM pg_roles');
  const existingDatabases = await namesIn(run, 'SELECT datname FROM pg_database');
  const steps: RestoreStep[] = [];
  for (const database of [...databases].filter((name) => existingDatabases.has(name))) {
    const sql = Buffer.from("SELECT format('DROP DATABASE %I', :'name') \\gexec\n");
    const dropped = step(
      `DROP DATABASE ${database} (the new server's own, empty: the dump creates it)`,
      await run(shell(`exec ${PSQL} -d postgres -v name="$1"`, database), sql),
    );
    steps.push(dropped);
    if (!dropped.ok) return { steps, integrity: [] };
  }
  async function* withoutExistingRoles() {
    for await (const line of createInterface({ input: read(), crlfDelay: Number.POSITIVE_INFINITY })) {
      const created = createdBy(line);
      if (!(created && 'role' in created && existingRoles.has(created.role))) yield `${line}\n`;
    }
  }
  steps.push(step(`${PSQL} -d postgres`, await run(shell(`exec ${PSQL} -d postgres`), Readable.from(withoutExistingRoles()))));
  return { steps, integrity: [] };
}

const countsScript = `SELECT format('SELECT %L, %L, count(*) FROM %I.%I', current_database(), schemaname || '.' || tablename, schemaname, tablename)
FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename \\gexec
`;

/** The databases a client can connect to, templates left out. */
async function databasesOf(run: RunInServer): Promise<string[]> {
  const listed = await run(shell(`exec ${PSQL} -At -d postgres -c 'SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1'`));
  return listed.stdout.toString().split('\n').filter(Boolean);
}

export const artifactKit: ArtifactKit = {
  formats: [
    {
      id: 'pg-basebackup',
      title: 'a pg_basebackup (tar: base.tar with its WAL; or plain: the data directory with its backup_label)',
      recognise: (head) => head.shape === 'directory' && (head.names.some((name) => BASE_TAR.test(name)) || isPlainBaseBackup(head.names)),
      fillsDataDirectory: true,
    },
    {
      id: 'pgbackrest',
      title: 'a pgBackRest repository (its newest backup, and its WAL archive)',
      recognise: (head) => head.shape === 'directory' && stanzasOf(head.names).length > 0,
      fillsDataDirectory: true,
    },
    { id: 'pg-custom', title: 'a pg_dump custom-format archive', recognise: (head) => archiveVersion(head) !== undefined },
    {
      id: 'pg-directory',
      title: 'a pg_dump directory-format archive',
      recognise: (head) => head.shape === 'directory' && head.names.includes('toc.dat'),
    },
    {
      id: 'barman',
      title: 'a Barman server folder (its newest finished backup, and its WAL archive)',
      recognise: (head) => head.shape === 'directory' && isBarmanServer(head.names),
      fillsDataDirectory: true,
    },
    // Before the plain dump: a cluster's dump holds one "PostgreSQL database dump" per database.
    {
      id: 'pg-dumpall',
      title: 'a pg_dumpall of a whole cluster (every database and role)',
      recognise: (head) => /^-- PostgreSQL database cluster dump$/m.test(text(head).slice(0, 4096)),
    },
    {
      id: 'pg-plain',
      title: 'a pg_dump plain SQL dump',
      recognise: (head) => /^-- PostgreSQL database dump$/m.test(text(head).slice(0, 4096)),
    },
  ],

  throwawayEnvironment: (environment): Record<string, string> =>
    environment.POSTGRES_PASSWORD || environment.POSTGRES_PASSWORD_FILE || environment.POSTGRES_HOST_AUTH_METHOD
      ? {}
      : { POSTGRES_PASSWORD: `persist-verify-${process.pid}` },

  readyCommand: ['pg_isready', '-q', '-h', '127.0.0.1'],

  async serverVersion(run) {
    return (await run(shell(`exec ${PSQL} -At -d postgres -c 'SHOW server_version'`))).stdout.toString().trim();
  },

  unreadable(format, head, serverVersion) {
    const serverMajor = Number.parseInt(serverVersion, 10);
    if (format === 'pg-custom') {
      const version = archiveVersion(head)!;
      const needs = ARCHIVE_READERS[version];
      if (needs === undefined || needs > serverMajor)
        return {
          why: `The archive's format ${version} needs the pg_restore of PostgreSQL ${needs ?? 'newer than 17'} or newer, and this image has ${serverVersion}.`,
          fix: `Verify it with --image postgres:${needs ?? 18} (or the version that wrote it).`,
        };
    }
    const dumpMajor = format === 'pg-plain' || format === 'pg-dumpall' ? plainDumpMajor(text(head)) : undefined;
    if (dumpMajor !== undefined && dumpMajor > serverMajor)
      return {
        why: `The dump was written by pg_dump ${dumpMajor} and this image runs PostgreSQL ${serverVersion}, which may not load it.`,
        fix: `Verify it with --image postgres:${dumpMajor}.`,
      };
    return undefined;
  },

  // As the documentation restores a tar-format base backup: base.tar into the empty data directory,
  // pg_wal.tar into its pg_wal; the server then recovers to the backup's end from that WAL at start.
  // Before it starts, the image's pg_verifybackup checks the extracted files against the manifest.
  // The data directory is PGDATA, which may lie below the volume (PostgreSQL 18's images: the
  // volume at /var/lib/postgresql, PGDATA in 18/docker under it).
  fill: fillFromBaseBackup,

  // The documented point-in-time recovery, to the archive's end: recovery.signal and a
  // restore_command that copies each segment from the archive; the server replays until a
  // segment is not there, then promotes. Until then it may already accept read-only connections.
  archive: {
    formats: ['pg-basebackup', 'pgbackrest', 'barman'],
    selfContained: ['pgbackrest', 'barman'],
    read: (reader, format) => (format === 'pgbackrest' ? readPgBackRestWindow(reader) : format === 'barman' ? readBarmanWindow(reader) : readWalWindow(reader)),
    replayedCommand: ['sh', '-c', `[ "$(${PSQL} -At -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]`],
    // Both stay as recovery left them after the promotion.
    async replayed(run, replayFrom) {
      const from = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(replayFrom) ? `'${replayFrom}'` : 'NULL';
      const sql = `SELECT coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''), coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ${from})::bigint::text, '')`;
      const [lastCommit = '', bytes = ''] = (await run(shell(`exec ${PSQL} -At -F '|' -d postgres -c ${shellQuote(sql)}`))).stdout.toString().trim().split('|');
      return { lastCommit: lastCommit || null, bytes: bytes === '' ? null : Number(bytes) };
    },
  },

  restore(run, format, artifact) {
    if (format === 'pg-custom' || format === 'pg-directory') return restoreArchive(run, format);
    return format === 'pg-dumpall' ? restoreCluster(run, artifact.read) : restorePlain(run, artifact.read);
  },

  async inventory(run, format, dumpRoles) {
    const objects: InventoryObject[] = [];
    const sequences: SequenceState[] = [];
    const roles = new Set<string>(dumpRoles);
    let superuser = '';
    // One psql per database, its sections told apart by the lines it echoes between them.
    const script = `\\echo ~objects\n${OBJECTS_SQL}\\echo ~grantees\n${GRANTEES_SQL}\\echo ~sequences\n${SEQUENCES_SQL}\\echo ~me\nSELECT current_user;\n`;
    for (const database of await databasesOf(run)) {
      const result = await run(shell(`exec ${PSQL} -At -F '\t' -d "$1"`, database), Buffer.from(script));
      if (result.exitCode !== 0) throw new Error(`listing the objects of ${database} failed: ${lastLines(result.stderr, 3)}`);
      let section = '';
      for (const line of result.stdout.toString().split('\n').filter(Boolean)) {
        if (line.startsWith('~')) {
          section = line.slice(1);
          continue;
        }
        const fields = line.split('\t');
        if (section === 'objects') {
          const [kind, name, owner] = fields;
          objects.push({ kind: kind as ObjectKind, database, name: name!, owner: owner! });
          roles.add(owner!);
        } else if (section === 'grantees') roles.add(fields[0]!);
        else if (section === 'me') superuser = fields[0]!;
        else if (section === 'sequences') {
          const [name, next, increment, table, column, unique, highest] = fields;
          sequences.push({
            database,
            name: name!,
            next: Number(next),
            increment: Number(increment),
            feeds: table ? { table, column: column!, highest: highest ? Number(highest) : null, unique: unique === 't' } : null,
          });
        }
      }
    }
    // The throwaway's own superuser is in every new cluster of the image: nothing to bring.
    roles.delete(superuser);
    // pg_database_owner, pg_read_all_data…: predefined in every cluster.
    const needed = [...roles].filter((role) => !role.startsWith('pg_')).sort();
    const fromDump = format === 'pg-custom' || format === 'pg-directory' || format === 'pg-plain';
    return {
      engine: 'postgres',
      objects,
      sequences,
      roles: needed,
      rolesNote:
        fromDump && needed.length > 0
          ? `A pg_dump carries no roles: a restore into a new cluster must create ${needed.join(', ')} first (pg_dumpall --globals-only on the source keeps them).`
          : null,
    };
  },

  async tables(run) {
    const databases = await databasesOf(run);
    const counts: TableCount[] = [];
    for (const database of databases) {
      const result = await run(shell(`exec ${PSQL} -At -F '\t' -d "$1"`, database), Buffer.from(countsScript));
      if (result.exitCode !== 0) throw new Error(`counting the rows of ${database} failed: ${lastLines(result.stderr, 3)}`);
      for (const line of result.stdout.toString().split('\n').filter(Boolean)) {
        const [db, table, rows] = line.split('\t');
        counts.push({ database: db!, table: table!, rows: Number(rows) });
      }
    }
    return counts;
  },

  async value(run, query, database) {
    const result = await run(shell(`exec ${PSQL} -At -F '\t' -d "$1"`, database ?? 'postgres'), Buffer.from(`${query.replace(/;\s*$/, '')};\n`));
    if (result.exitCode !== 0) throw new Error(lastLines(result.stderr, 3));
    const first = result.stdout.toString().split('\n')[0];
    return first === undefined || first === '' ? undefined : first.split('\t')[0];
  },
};
