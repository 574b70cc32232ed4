// MySQL's and MariaDB's backup files, restored with the image's own client: a mysqldump (or
// mariadb-dump) SQL file, gzip or zstd on the outside being the caller's. The client stops at the
// first error (it is never given --force), so a damaged dump fails where it breaks.
import type { ArtifactHead, ArtifactKit, RestoreStep, RunInServer, TableCount } from '../artifact-kits.ts';
import { restoreStep } from '../restore-step.ts';
import { lastLines } from '../../terminal/last-lines.ts';

/** The image's client as root: mariadb in MariaDB 11's images, mysql in MySQL's; the password from the image's own variables. */
const CLIENT = '"$(command -v mariadb || command -v mysql)" -uroot --password="${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}"';
const SYSTEM_SCHEMAS = "'mysql', 'information_schema', 'performance_schema', 'sys'";

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

export const artifactKit: ArtifactKit = {
  formats: [
    {
      id: 'mysqldump',
      title: 'a mysqldump (or mariadb-dump) SQL dump',
      recognise: (head) => /^-- (?:MySQL|MariaDB) dump /m.test(text(head).slice(0, 4096)),
    },
  ],

  throwawayEnvironment: (environment): Record<string, string> =>
    ['MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'].some((name) => environment[name])
      ? {}
      : { MYSQL_ROOT_PASSWORD: `persist-verify-${process.pid}`, MARIADB_ROOT_PASSWORD: `persist-verify-${process.pid}` },

  // The entrypoint's first-start server runs with --skip-networking: only the real one answers over TCP.
  readyCommand: ['sh', '-c', '"$(command -v mariadb-admin || command -v mysqladmin)" ping --silent -h 127.0.0.1 --protocol=tcp'],

  async serverVersion(run) {
    return (await sql(run, 'SELECT VERSION();\n')).stdout.toString().trim();
  },

  async restore(run, _format, artifact) {
    const database = dumpDatabase(text(artifact.head));
    const steps: RestoreStep[] = [];
    if (database !== undefined)
      steps.push(step(`CREATE DATABASE IF NOT EXISTS ${database}`, await sql(run, `CREATE DATABASE IF NOT EXISTS ${identifier(database)};\n`)));
    if (steps.every((s) => s.ok)) {
      const command = `${CLIENT.replace(/--password=\S+/, '--password=…')}${database === undefined ? '' : ` --database=${database}`}`;
      steps.push(
        step(
          command,
          await run(shell(`exec ${CLIENT} ${database === undefined ? '' : '--database="$1"'}`, ...(database === undefined ? [] : [database])), 'artifact'),
        ),
      );
    }
    return { steps, integrity: [], ...(database === undefined ? {} : { database }) };
  },

  async tables(run) {
    const listing = await sql(
      run,
      `SELECT CONCAT('SELECT ', QUOTE(table_schema), ', ', QUOTE(table_name), ', COUNT(*) FROM \`', REPLACE(table_schema, '\`', '\`\`'), '\`.\`', REPLACE(table_name, '\`', '\`\`'), '\`;')
       FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN (${SYSTEM_SCHEMAS}) ORDER BY table_schema, table_name;\n`,
    );
    if (listing.exitCode !== 0) throw new Error(`listing the tables failed: ${lastLines(listing.stderr, 3)}`);
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
