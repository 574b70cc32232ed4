// The databases' probe: the deterministic dataset written in SQL (or as Redis keys) through the
// driver, fingerprinted per table (row count and an ordered content hash).
import type { Dataset } from '../data/dataset.ts';
import type { Fingerprint } from '../data/fingerprint.ts';
import { HarnessError } from '../errors.ts';
import type { Stack } from '../stack/stack.ts';
import type { DatabaseConnection, DatabaseTarget, Login } from '../stack/database-target.ts';
import { waitUntilReady } from '../targets/wait-ready.ts';
import { countLedgerWhenReady, startWriteLoad } from './write-load.ts';
import { type Probe, untilRunning, type WriteLedger } from './probe.ts';

/** How long an endpoint that failed is given to show whether its container exited or still runs. */
const EXITED_CHECK_MS = 2_000;

export class SqlProbe implements Probe {
  /** A table of numbered records, one INSERT per commit (a set of ids in Redis). */
  readonly ledger: WriteLedger = {
    startWriters: async (stack, writers, beforeWriters) => {
      const setup = await this.connect(stack);
      try {
        return await startWriteLoad(setup, () => this.connect(stack), writers, beforeWriters);
      } finally {
        await setup.close();
      }
    },
    count: (stack, log) => countLedgerWhenReady(() => this.connect(stack), log),
  };

  readonly service: string;
  readonly describes: string;
  private readonly target: DatabaseTarget;
  private readonly dataset: Dataset;
  /** The connection ready() opened, used by the next reads until release(). */
  private open: DatabaseConnection | undefined;

  private readonly login: Login | undefined;

  /** login: a user's credentials (`persist check`); without, the harness's own container's. */
  constructor(target: DatabaseTarget, dataset: Dataset = { name: 'none: the ledger only', tables: [] }, service = target.name, login?: Login) {
    this.target = target;
    this.login = login;
    this.dataset = dataset;
    this.service = service;
    this.describes = `${dataset.tables.reduce((n, t) => n + t.rows.length, 0)} rows in ${dataset.tables.length} tables`;
  }

  /** A connection once the server answers; it throws ContainerExitedError when the container died. */
  async connect(stack: Stack): Promise<DatabaseConnection> {
    const { host, port } = await stack.endpoint(this.service, this.target.port).catch(async (error: unknown) => {
      // A server that exited on its data has no port any more: that is the finding
      // (ContainerExitedError, with its last lines), not a harness error.
      await untilRunning(stack, this.service, EXITED_CHECK_MS);
      throw error;
    });
    return waitUntilReady(this.target, stack.containerId(this.service), host, port, undefined, this.login);
  }

  /** Waits until the server answers and keeps the connection for the reads that follow. */
  async ready(stack: Stack): Promise<void> {
    await this.release();
    this.open = await this.connect(stack);
  }

  async release(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    await open?.close();
  }

  async seed(stack: Stack): Promise<Fingerprint> {
    const before = await this.withConnection(stack, async (c) => {
      await c.write(this.dataset);
      return c.fingerprint(this.tableNames());
    });
    assertDatasetWritten(this.dataset, before);
    return before;
  }

  fingerprint(stack: Stack): Promise<Fingerprint> {
    return this.withConnection(stack, (c) => c.fingerprint(this.tableNames()));
  }

  async dataDirectory(stack: Stack): Promise<string> {
    const pattern = this.target.dataDirectoryInLog;
    if (pattern === undefined) return this.withConnection(stack, (c) => c.dataDirectory());
    const said = [...(await stack.logs(this.service)).matchAll(pattern)].at(-1)?.[1];
    return said ?? 'unknown (the log does not say)';
  }

  serverVersion(stack: Stack): Promise<string> {
    return this.withConnection(stack, (c) => c.serverVersion());
  }

  private tableNames(): string[] {
    return this.dataset.tables.map((t) => t.name);
  }

  private async withConnection<T>(stack: Stack, use: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    if (this.open) return use(this.open);
    const connection = await this.connect(stack);
    try {
      return await use(connection);
    } finally {
      await connection.close();
    }
  }
}

/** The fingerprint taken before the disruption must show the whole dataset, or nothing is proven. */
function assertDatasetWritten(dataset: Dataset, before: Fingerprint): void {
  for (const table of dataset.tables) {
    const seen = before[table.name];
    if (!seen?.present || seen.rows !== table.rows.length) {
      throw new HarnessError(
        `The dataset was not written completely: table ${table.name} has ${seen?.rows ?? 0} of ${table.rows.length} rows.`,
        'Check the database logs; the cell cannot judge persistence without its data.',
      );
    }
  }
}
