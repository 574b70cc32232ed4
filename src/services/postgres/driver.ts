// PostgreSQL: the official image's contract (POSTGRES_* variables, PGDATA) and SQL to write
// a dataset and fingerprint it.
import pg from 'pg';
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import type { Column, Dataset, TableData } from '../../data/dataset.ts';
import type { Fingerprint } from '../../data/fingerprint.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';
import type { DatabaseConnection, DatabaseTarget } from '../../stack/database-target.ts';

const USER = 'postgres';
const PASSWORD = 'harness-secret';
const DATABASE = 'harness';
const INSERT_BATCH_ROWS = 1_000;

const COLUMN_TYPES: Record<Column['type'], string> = {
  id: 'integer PRIMARY KEY',
  text: 'text NOT NULL',
  date: 'date NOT NULL',
  timestamp: 'timestamp NOT NULL',
  decimal: 'numeric(12,3) NOT NULL',
  integer: 'integer NOT NULL',
};

export const postgres: DatabaseTarget<'postgres'> = {
  name: 'postgres',
  displayName: 'PostgreSQL',
  image: 'postgres',
  port: 5432,
  // Up to 17 the data directory itself is the VOLUME; 18 declares its parent and keeps the data
  // in /var/lib/postgresql/18/docker.
  dataPaths: { documented: ['/var/lib/postgresql/data', '/var/lib/postgresql'], writableLayer: '/var/lib/postgresql-writable-layer' },
  initialisationMarkers: [/The files belonging to this database system will be owned by user/, /PostgreSQL init process complete/],
  readyMarker: /database system is ready to accept connections/,
  shutdownRequestedMarker: /received (?:smart|fast|immediate) shutdown request/,
  cleanShutdownMarker: /database system is shut down/,
  logsCrashRecovery: true,
  crashRecoveryMarkers: [/database system was not properly shut down; automatic recovery in progress/, /database system was interrupted/],
  // Inside the container the local socket needs no password (the official image's default).
  logicalBackup: {
    dump: ['pg_dump', '-U', USER, DATABASE],
    // One transaction that stops at the first error: a failed restore leaves nothing half-loaded.
    restore: ['psql', '-U', USER, '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-q', DATABASE],
  },
  procedureEnv: { PERSIST_DB_USER: USER, PERSIST_DB_PASSWORD: PASSWORD, PERSIST_DB_NAME: DATABASE },

  relaxedDurability: {
    serverArgs: ['-c', 'synchronous_commit=off'],
    description: 'synchronous_commit=off: a commit is acknowledged before its WAL is flushed',
  },

  powerLossSettings: [
    {
      name: 'default',
      serverArgs: [],
      keeps: { processCrash: true, powerCut: true },
      promise: 'fsync and synchronous_commit on (unless the image says otherwise): a commit is acknowledged once its WAL is flushed to disk',
    },
    {
      name: 'synchronous_commit=off',
      serverArgs: ['-c', 'synchronous_commit=off'],
      keeps: { processCrash: false, powerCut: false },
      promise:
        'a commit is acknowledged before its WAL is flushed: any crash may lose up to three times wal_writer_delay (600 ms by default) of commits, without corruption',
    },
    {
      name: 'fsync=off',
      serverArgs: ['-c', 'fsync=off'],
      keeps: { processCrash: true, powerCut: false },
      promise:
        'WAL and data are handed to the kernel but never forced to disk: a process crash loses nothing, a power cut or kernel crash may lose commits and corrupt the cluster',
    },
  ],

  dataDirInImage: (dir) => [`ENV PGDATA=${dir}`],

  container(image, dataDir, serverArgs = []) {
    const container = new HostOnlyContainer(image)
      .withEnvironment({ POSTGRES_PASSWORD: PASSWORD, POSTGRES_USER: USER, POSTGRES_DB: DATABASE, ...(dataDir ? { PGDATA: dataDir } : {}) })
      .withExposedPorts(5432)
      .withWaitStrategy(new ContainerRunning());
    // The image's entrypoint hands arguments that start with "-" to postgres.
    return serverArgs.length > 0 ? container.withCommand(serverArgs) : container;
  },

  async connect(host, port, login = { user: USER, password: PASSWORD, database: DATABASE }) {
    const { user, password, database } = login;
    const client = new pg.Client({ host, port, user, password, database, connectionTimeoutMillis: 2_000 });
    // An error after connecting (server shut down under us) must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new PostgresConnection(client);
  },
};

class PostgresConnection implements DatabaseConnection {
  private readonly client: pg.Client;

  constructor(client: pg.Client) {
    this.client = client;
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ version: string }>('SELECT version()');
    return rows[0]?.version ?? 'unknown';
  }

  async dataDirectory(): Promise<string> {
    const { rows } = await this.client.query<{ data_directory: string }>('SHOW data_directory');
    return rows[0]?.data_directory ?? 'unknown';
  }

  async write(dataset: Dataset): Promise<void> {
    await this.client.query('BEGIN');
    try {
      for (const table of dataset.tables) await this.writeTable(table);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async writeTable(table: TableData): Promise<void> {
    const name = this.client.escapeIdentifier(table.name);
    const columns = table.columns.map((c) => `${this.client.escapeIdentifier(c.name)} ${COLUMN_TYPES[c.type]}`);
    await this.client.query(`CREATE TABLE ${name} (${columns.join(', ')})`);
    const columnList = table.columns.map((c) => this.client.escapeIdentifier(c.name)).join(', ');
    for (let start = 0; start < table.rows.length; start += INSERT_BATCH_ROWS) {
      const batch = table.rows.slice(start, start + INSERT_BATCH_ROWS);
      const width = table.columns.length;
      const tuples = batch.map((_, r) => `(${table.columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
      await this.client.query(`INSERT INTO ${name} (${columnList}) VALUES ${tuples.join(', ')}`, batch.flat());
    }
  }

  async fingerprint(tableNames: string[]): Promise<Fingerprint> {
    const fingerprint: Fingerprint = {};
    for (const tableName of tableNames) {
      const { rows: found } = await this.client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
        this.client.escapeIdentifier(tableName),
      ]);
      if (!found[0]?.present) {
        fingerprint[tableName] = { present: false, rows: 0, contentHash: null };
        continue;
      }
      // The row's text form covers every column; ordering by the key makes the hash stable.
      const name = this.client.escapeIdentifier(tableName);
      const { rows } = await this.client.query<{ rows: number; hash: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS hash FROM ${name} t`,
      );
      fingerprint[tableName] = { present: true, rows: rows[0]?.rows ?? 0, contentHash: rows[0]?.hash ?? null };
    }
    return fingerprint;
  }

  async createLedger(): Promise<void> {
    await this.client.query('CREATE TABLE ledger (id integer PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())');
  }

  async writeLedger(id: number): Promise<void> {
    await this.client.query('INSERT INTO ledger (id) VALUES ($1)', [id]);
  }

  async ledgerIds(): Promise<number[]> {
    const { rows: found } = await this.client.query<{ present: boolean }>("SELECT to_regclass('ledger') IS NOT NULL AS present");
    if (!found[0]?.present) return [];
    const { rows } = await this.client.query<{ id: number }>('SELECT id FROM ledger ORDER BY id');
    return rows.map((r) => r.id);
  }

  async checkLedgerIntegrity(): Promise<string> {
    // amcheck ships with the server (contrib); heapallindexed also reads every row of the table.
    await this.client.query('CREATE EXTENSION IF NOT EXISTS amcheck');
    await this.client.query("SELECT bt_index_check('ledger_pkey'::regclass, true)");
    return 'amcheck: bt_index_check(ledger_pkey, heapallindexed) found nothing';
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** What src/services/drivers.ts loads for this service. */
export const driver = postgres;
