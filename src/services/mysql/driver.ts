// MySQL: the official image's contract (MYSQL_* variables, data in /var/lib/mysql, extra
// arguments passed to mysqld) and SQL to write a dataset and fingerprint it. The same code
// drives MariaDB, whose stand-in is used without a registry; the server version says which ran.
import mysql2 from 'mysql2/promise';
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import type { Column, Dataset, TableData } from '../../data/dataset.ts';
import type { Fingerprint } from '../../data/fingerprint.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';
import type { DatabaseConnection, DatabaseTarget } from '../../stack/database-target.ts';

const ROOT_PASSWORD = 'harness-secret';
const DATABASE = 'harness';
const INSERT_BATCH_ROWS = 1_000;
/** GROUP_CONCAT truncates at this many bytes; the default (1 KiB) would hash a prefix only. */
const GROUP_CONCAT_MAX_LEN = 4_294_967_295;

const COLUMN_TYPES: Record<Column['type'], string> = {
  id: 'INT PRIMARY KEY',
  text: 'VARCHAR(255) NOT NULL',
  date: 'DATE NOT NULL',
  timestamp: 'DATETIME NOT NULL',
  decimal: 'DECIMAL(12,3) NOT NULL',
  integer: 'INT NOT NULL',
};

const DATA_DIR = '/var/lib/mysql';

export const mysql: DatabaseTarget<'mysql'> = {
  name: 'mysql',
  displayName: 'MySQL',
  image: 'mysql',
  port: 3306,
  dataPaths: { documented: [DATA_DIR], writableLayer: '/var/lib/mysql-writable-layer' },
  initialisationMarkers: [/\[Entrypoint\]: Initializing database files/, /MySQL init process done/],
  // MariaDB prints "mariadbd: ready for connections.", MySQL "ready for connections. Version: …".
  readyMarker: /ready for connections/,
  // MariaDB: "mariadbd (initiated by: unknown): Normal shutdown"; MySQL 8: "Received SHUTDOWN from user <via user signal>".
  shutdownRequestedMarker: /Normal shutdown|Received SHUTDOWN/,
  cleanShutdownMarker: /Shutdown complete/,
  logsCrashRecovery: true,
  crashRecoveryMarkers: [/Starting crash recovery/i, /Database was not shut ?down normally/i],
  // The password comes from the container's own environment, so it is not in the command line.
  logicalBackup: {
    // --single-transaction: one consistent snapshot of InnoDB tables while writes go on.
    // Without --routines and --events (the seed's own command): triggers and views are dumped, procedures and events are not.
    dump: ['sh', '-c', `exec mysqldump -uroot -p"$MYSQL_ROOT_PASSWORD" --single-transaction ${DATABASE}`],
    restore: ['sh', '-c', `exec mysql -uroot -p"$MYSQL_ROOT_PASSWORD" ${DATABASE}`],
    whole: {
      dump: ['sh', '-c', `exec mysqldump -uroot -p"$MYSQL_ROOT_PASSWORD" --single-transaction --routines --events ${DATABASE}`],
      options: '--routines --events',
    },
  },
  procedureEnv: { PERSIST_DB_USER: 'root', PERSIST_DB_PASSWORD: ROOT_PASSWORD, PERSIST_DB_NAME: DATABASE },

  // MariaDB leaves its system tables to mariadb-upgrade (mysql_upgrade before 10.4); MySQL
  // 8.0.16 and later upgrade them in the server, and 8.4 ships no such tool.
  upgradeStep: {
    find: 'for tool in mariadb-upgrade mysql_upgrade; do if command -v "$tool" >/dev/null; then echo "$tool"; exit 0; fi; done',
    check: '"$TOOL" -uroot -p"$MYSQL_ROOT_PASSWORD" --check-if-upgrade-is-needed',
    run: '"$TOOL" -uroot -p"$MYSQL_ROOT_PASSWORD"',
  },

  relaxedDurability: {
    serverArgs: ['--innodb-flush-log-at-trx-commit=0'],
    description: 'innodb_flush_log_at_trx_commit=0: the log is written and flushed about once a second, not at each commit',
  },

  // Start options, not SET GLOBAL: MariaDB 10.8+ opens its log with O_DIRECT unless started with 2.
  powerLossSettings: [
    {
      name: 'default',
      serverArgs: [],
      keeps: { processCrash: true, powerCut: true },
      promise: 'innodb_flush_log_at_trx_commit=1 (unless the image says otherwise): the log is written and flushed to disk at each commit',
    },
    {
      name: 'innodb_flush_log_at_trx_commit=2',
      serverArgs: ['--innodb-flush-log-at-trx-commit=2'],
      keeps: { processCrash: true, powerCut: false },
      promise:
        'the log is written at each commit and flushed about once a second: a server crash loses nothing, a power cut or kernel crash up to about a second',
    },
    {
      name: 'innodb_flush_log_at_trx_commit=0',
      serverArgs: ['--innodb-flush-log-at-trx-commit=0'],
      keeps: { processCrash: false, powerCut: false },
      promise: 'the log is written and flushed about once a second: any crash may lose up to about a second of commits',
    },
  ],

  // Both images' entrypoints read the server's own --datadir.
  dataDirInImage: (dir) => [`CMD ["mysqld", "--datadir=${dir}"]`],

  container(image, dataDir, serverArgs = []) {
    const container = new HostOnlyContainer(image)
      .withEnvironment({ MYSQL_ROOT_PASSWORD: ROOT_PASSWORD, MYSQL_DATABASE: DATABASE })
      .withExposedPorts(3306)
      .withWaitStrategy(new ContainerRunning());
    // Both images pass arguments that start with "-" to the server.
    const args = [...(dataDir === undefined || dataDir === DATA_DIR ? [] : [`--datadir=${dataDir}`]), ...serverArgs];
    return args.length > 0 ? container.withCommand(args) : container;
  },

  async connect(host, port, login = { user: 'root', password: ROOT_PASSWORD, database: DATABASE }) {
    const connection = await mysql2.createConnection({
      host,
      port,
      user: login.user,
      password: login.password,
      // A database the check makes for itself is chosen once it exists.
      ...(login.createDatabase ? {} : { database: login.database }),
      connectTimeout: 2_000,
      charset: 'utf8mb4',
      dateStrings: true,
    });
    // An error after connecting (server shut down under us) must not crash the process.
    connection.on('error', () => undefined);
    try {
      await connection.query('SELECT 1');
      if (login.createDatabase && login.database) {
        await connection.query(`CREATE DATABASE IF NOT EXISTS ${mysql2.escapeId(login.database)}`);
        await connection.changeUser({ database: login.database });
      }
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return new MysqlConnection(connection);
  },
};

class MysqlConnection implements DatabaseConnection {
  private readonly connection: mysql2.Connection;

  constructor(connection: mysql2.Connection) {
    this.connection = connection;
  }

  /** "MariaDB …" or "MySQL …": MariaDB is not MySQL, and the report must say which ran. */
  async serverVersion(): Promise<string> {
    const [rows] = await this.connection.query<mysql2.RowDataPacket[]>('SELECT VERSION() AS version, @@version_comment AS comment');
    const version = String(rows[0]?.version ?? 'unknown');
    const engine = /mariadb/i.test(version) ? 'MariaDB' : 'MySQL';
    return `${engine} ${version} (${String(rows[0]?.comment ?? '')})`;
  }

  async dataDirectory(): Promise<string> {
    const [rows] = await this.connection.query<mysql2.RowDataPacket[]>('SELECT @@datadir AS datadir');
    return String(rows[0]?.datadir ?? 'unknown');
  }

  async write(dataset: Dataset): Promise<void> {
    // DDL commits implicitly in MySQL: create the tables first, then insert in one transaction.
    for (const table of dataset.tables) await this.createTable(table);
    await this.connection.beginTransaction();
    try {
      for (const table of dataset.tables) await this.insertRows(table);
      await this.connection.commit();
    } catch (error) {
      await this.connection.rollback().catch(() => undefined);
      throw error;
    }
  }

  private async createTable(table: TableData): Promise<void> {
    const columns = table.columns.map((c) => `${mysql2.escapeId(c.name)} ${COLUMN_TYPES[c.type]}`);
    await this.connection.query(`CREATE TABLE ${mysql2.escapeId(table.name)} (${columns.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  private async insertRows(table: TableData): Promise<void> {
    const columnList = table.columns.map((c) => mysql2.escapeId(c.name)).join(', ');
    for (let start = 0; start < table.rows.length; start += INSERT_BATCH_ROWS) {
      const batch = table.rows.slice(start, start + INSERT_BATCH_ROWS);
      await this.connection.query(`INSERT INTO ${mysql2.escapeId(table.name)} (${columnList}) VALUES ?`, [batch]);
    }
  }

  async fingerprint(tableNames: string[]): Promise<Fingerprint> {
    await this.connection.query(`SET SESSION group_concat_max_len = ${GROUP_CONCAT_MAX_LEN}`);
    const fingerprint: Fingerprint = {};
    for (const tableName of tableNames) {
      const [columns] = await this.connection.query<mysql2.RowDataPacket[]>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
        [tableName],
      );
      if (columns.length === 0) {
        fingerprint[tableName] = { present: false, rows: 0, contentHash: null };
        continue;
      }
      // Every column, tab-separated, one row per line in key order: the hash covers all content.
      const row = `CONCAT_WS('\\t', ${columns.map((c) => mysql2.escapeId(String(c.name))).join(', ')})`;
      const [rows] = await this.connection.query<mysql2.RowDataPacket[]>(
        `SELECT COUNT(*) AS n, MD5(COALESCE(GROUP_CONCAT(${row} ORDER BY id SEPARATOR '\\n'), '')) AS hash FROM ${mysql2.escapeId(tableName)}`,
      );
      fingerprint[tableName] = { present: true, rows: Number(rows[0]?.n ?? 0), contentHash: String(rows[0]?.hash ?? '') };
    }
    return fingerprint;
  }

  async createObjects(dataset: Dataset): Promise<void> {
    const table = mysql2.escapeId(dataset.tables[0]!.name);
    const named = (suffix: string) => mysql2.escapeId(`${dataset.tables[0]!.name}_${suffix}`);
    await this.connection.query(`CREATE VIEW ${named('ids')} AS SELECT id FROM ${table}`);
    await this.connection.query(`CREATE PROCEDURE ${named('count')}(OUT n INT) SELECT COUNT(*) INTO n FROM ${table}`);
    // Changes no row: it notes the last id inserted in a session variable.
    await this.connection.query(`CREATE TRIGGER ${named('last_insert')} AFTER INSERT ON ${table} FOR EACH ROW SET @last_insert_id = NEW.id`);
    // First due a day from now: it never runs during a drill.
    await this.connection.query(
      `CREATE EVENT ${named('tidy')} ON SCHEDULE EVERY 1 DAY STARTS CURRENT_TIMESTAMP + INTERVAL 1 DAY DO DELETE FROM ${table} WHERE id < 0`,
    );
  }

  async createLedger(): Promise<void> {
    await this.connection.query('CREATE TABLE ledger (id INT PRIMARY KEY, written_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB');
  }

  async writeLedger(id: number): Promise<void> {
    // autocommit is on: each INSERT is its own committed transaction.
    await this.connection.query('INSERT INTO ledger (id) VALUES (?)', [id]);
  }

  async ledgerIds(): Promise<number[]> {
    const [tables] = await this.connection.query<mysql2.RowDataPacket[]>(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'ledger'",
    );
    if (tables.length === 0) return [];
    const [rows] = await this.connection.query<mysql2.RowDataPacket[]>('SELECT id FROM ledger ORDER BY id');
    return rows.map((r) => Number(r.id));
  }

  async checkLedgerIntegrity(): Promise<string> {
    const [rows] = await this.connection.query<mysql2.RowDataPacket[]>('CHECK TABLE ledger EXTENDED');
    const said = rows.map((r) => `${String(r.Msg_type)}: ${String(r.Msg_text)}`);
    const status = rows.find((r) => String(r.Msg_type) === 'status');
    if (status === undefined || String(status.Msg_text) !== 'OK') throw new Error(`CHECK TABLE ledger EXTENDED: ${said.join('; ')}`);
    return `CHECK TABLE ledger EXTENDED: ${said.join('; ')}`;
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

/** What src/services/drivers.ts loads for this service. */
export const driver = mysql;
