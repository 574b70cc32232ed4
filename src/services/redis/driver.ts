// Redis: the official image's contract (VOLUME /data, its working directory, settings as
// redis-server arguments) and a dataset written as keys. Each table row is one string key,
// "<table>:<id>", holding the row's values tab-separated; a table's fingerprint is its key count
// and the sha256 of its values in id order. The ledger is a set: each SADD is acknowledged only
// after Redis has written it to its AOF and fsynced it (--appendfsync always).
import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';
import type { Dataset } from '../../data/dataset.ts';
import type { Fingerprint } from '../../data/fingerprint.ts';
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';
import type { DatabaseConnection, DatabaseTarget } from '../../stack/database-target.ts';

/**
 * The drills' Redis: every write appended to the AOF and fsynced before Redis answers. With the
 * default, appendfsync everysec, Redis postpones writing its AOF buffer for up to 2 s while the
 * previous second's fsync is still running, and answers meanwhile (aof.c, flushAppendOnlyFile):
 * on a busy disk even a process kill loses acknowledged writes (a check here lost 6 of 615).
 */
const DURABLE_ARGS = ['--appendonly', 'yes', '--appendfsync', 'always'];
const LEDGER_KEY = 'ledger';
const SCAN_BATCH = 1_000;

type Client = ReturnType<typeof createClient>;

export const redis: DatabaseTarget<'redis'> = {
  name: 'redis',
  displayName: 'Redis',
  image: 'redis',
  port: 6379,
  dataPaths: { documented: ['/data'], writableLayer: '/var/lib/redis-writable-layer' },
  // Redis has no first-start initialisation: an empty /data is simply an empty dataset.
  initialisationMarkers: [],
  readyMarker: /Ready to accept connections/,
  shutdownRequestedMarker: /Received SIGTERM scheduling shutdown|User requested shutdown/,
  cleanShutdownMarker: /Redis is now ready to exit, bye bye/,
  // A kill leaves a complete AOF (what was written survives a process kill in the page cache):
  // Redis replays it as after a clean stop. Only a torn last write is reported.
  crashRecoveryMarkers: [/AOF loaded anyway because aof-load-truncated/, /Bad file format reading the append only file/],
  logsCrashRecovery: false,
  procedureEnv: {},
  drillServerArgs: DURABLE_ARGS,
  relaxedDurability: {
    serverArgs: ['--appendonly', 'no', '--save', '3600 1'],
    description: 'snapshot-only persistence (appendonly no, save 3600 1): writes since the last snapshot exist only in memory',
  },
  powerLossSettings: [
    {
      name: 'appendfsync always',
      serverArgs: DURABLE_ARGS,
      keeps: { processCrash: true, powerCut: true },
      promise: 'each write is appended to the AOF and fsynced before Redis answers',
    },
    {
      name: 'appendfsync everysec',
      serverArgs: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
      sameAs: [['--appendonly', 'yes']],
      keeps: { processCrash: false, powerCut: false },
      promise:
        'the AOF is fsynced once a second: a crash may lose about a second of writes, two where Redis postpones a write behind a slow fsync (aof.c), a process crash too',
    },
    {
      name: 'appendfsync no',
      serverArgs: ['--appendonly', 'yes', '--appendfsync', 'no'],
      keeps: { processCrash: true, powerCut: false },
      promise:
        'each write is handed to the kernel, never fsynced by Redis: a process crash loses nothing, a power cut what the kernel had not written yet (up to about 30 s on Linux)',
    },
    {
      name: 'RDB snapshots only',
      serverArgs: ['--appendonly', 'no'],
      keeps: { processCrash: false, powerCut: false },
      promise: "Redis's own default (no AOF, save 3600 1 300 100 60 10000): writes since the last snapshot exist only in memory",
    },
  ],
  // A user's image that keeps its data elsewhere: Redis writes to its working directory.
  dataDirInImage: (dir) => [`WORKDIR ${dir}`],

  container(image, dataDir, serverArgs = []) {
    const container = new HostOnlyContainer(image)
      .withExposedPorts(6379)
      .withWaitStrategy(new ContainerRunning())
      // The image's entrypoint hands arguments that start with "-" to redis-server.
      .withCommand(serverArgs.length > 0 ? serverArgs : DURABLE_ARGS);
    // Redis keeps its files in its working directory; Docker creates a missing one and the
    // entrypoint hands it to the redis user.
    return dataDir ? container.withWorkingDir(dataDir) : container;
  },

  async connect(host, port, login) {
    const client: Client = createClient({
      socket: { host, port, connectTimeout: 2_000, reconnectStrategy: false },
      ...(login?.password ? { password: login.password } : {}),
    });
    // An error after connecting (server shut down under us) must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      // While Redis loads its AOF or RDB it answers LOADING: not ready yet.
      await client.ping();
    } catch (error) {
      client.destroy();
      throw error;
    }
    return new RedisConnection(client);
  },
};

class RedisConnection implements DatabaseConnection {
  private readonly client: Client;

  constructor(client: Client) {
    this.client = client;
  }

  async serverVersion(): Promise<string> {
    const info = await this.client.info('server');
    return `Redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'}`;
  }

  async dataDirectory(): Promise<string> {
    const config = await this.client.configGet('dir');
    return config.dir ?? 'unknown';
  }

  async write(dataset: Dataset): Promise<void> {
    // One MULTI/EXEC per table: each table is written whole or not at all.
    for (const table of dataset.tables) {
      const transaction = this.client.multi();
      for (const row of table.rows) transaction.set(`${table.name}:${String(row[0])}`, row.map(String).join('\t'));
      await transaction.exec();
    }
  }

  async fingerprint(tableNames: string[]): Promise<Fingerprint> {
    const fingerprint: Fingerprint = {};
    for (const table of tableNames) {
      const keys = await this.keysOf(`${table}:*`);
      if (keys.length === 0) {
        fingerprint[table] = { present: false, rows: 0, contentHash: null };
        continue;
      }
      keys.sort((a, b) => Number(a.slice(table.length + 1)) - Number(b.slice(table.length + 1)));
      const hash = createHash('sha256');
      for (let start = 0; start < keys.length; start += SCAN_BATCH) {
        const values = await this.client.mGet(keys.slice(start, start + SCAN_BATCH));
        for (const value of values) hash.update(`${value ?? ''}\n`);
      }
      fingerprint[table] = { present: true, rows: keys.length, contentHash: hash.digest('hex').slice(0, 32) };
    }
    return fingerprint;
  }

  private async keysOf(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: pattern, COUNT: SCAN_BATCH })) keys.push(...batch);
    return keys;
  }

  async createLedger(): Promise<void> {
    // A set needs no schema: the first SADD creates it.
  }

  async writeLedger(id: number): Promise<void> {
    await this.client.sAdd(LEDGER_KEY, String(id));
  }

  async ledgerIds(): Promise<number[]> {
    return (await this.client.sMembers(LEDGER_KEY)).map(Number).sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }
}

/** What src/services/drivers.ts loads for this service. */
export const driver = redis;
