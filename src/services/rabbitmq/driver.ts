// RabbitMQ: the official image's contract (RABBITMQ_DEFAULT_USER/PASS, data in /var/lib/rabbitmq,
// the node's data under its node name rabbit@<host name>) and a dataset written as messages.
// Each table is a durable classic queue, "persist.<table>"; each row one persistent message
// (delivery mode 2) holding the row's values tab-separated, its id as the message id; every
// publish is confirmed by the broker, which confirms a persistent message on a durable queue
// once it is written to disk. A queue's fingerprint is its message count and the sha256 of its
// bodies in id order, delivered to a consumer and never acknowledged, so closing the channel
// puts every message back: reading the data does not consume it.
import { createHash } from 'node:crypto';
import amqp from 'amqplib';
import type { Dataset } from '../../data/dataset.ts';
import type { Fingerprint } from '../../data/fingerprint.ts';
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import { deadlineIn, quietTimer, sleep } from '../../timing/clock.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';
import type { DatabaseConnection, DatabaseTarget, Login } from '../../stack/database-target.ts';

const USER = 'persist';
const PASSWORD = 'harness-secret';
/**
 * The host name every container of the harness's own runs under. The node is named after its
 * host name and keeps its data in mnesia/rabbit@<host name>: a new container with a new host
 * name is a new, empty node on the same volume. The documentation says to pin it; so do we.
 */
export const PINNED_HOSTNAME = 'persist-rabbitmq';
const LEDGER_QUEUE = 'persist.ledger';
/** How long a read waits for the first message, and then for each next one, before it counts what it has. */
const FIRST_MESSAGE_MS = 15_000;
const QUIET_MS = 5_000;
/**
 * How long a new queue's declaration takes to reach the disk. The broker answers declare-ok, and
 * confirms persistent messages on the queue, before its metadata store (Mnesia, writing through
 * Erlang's buffered disk_log) has written the declaration out: measured on the stand-in, a durable
 * queue declared 1 s before a SIGKILL was gone after the restart, with the 200 confirmed messages
 * in it, in 1 trial of 4 (and a check's kill cell once reported 93 acknowledged, 93 lost); with
 * 2.5 s between the declaration and the kill, every trial kept it. An application declares its
 * queues when it starts, long before a crash: the harness waits as long before it relies on one.
 */
const DECLARATION_ON_DISK_MS = 3_000;
const queueOf = (table: string) => `persist.${table}`;

type ChannelModel = Awaited<ReturnType<typeof amqp.connect>>;

/** How the harness's own containers are started: its user, and the pinned host name unless a control asks otherwise. */
function harnessContainer(image: string, dataDir: string | undefined, hostname: string | undefined): HostOnlyContainer {
  const container = new HostOnlyContainer(image)
    .withExposedPorts(5672)
    .withWaitStrategy(new ContainerRunning())
    .withEnvironment({ RABBITMQ_DEFAULT_USER: USER, RABBITMQ_DEFAULT_PASS: PASSWORD, ...(dataDir ? { RABBITMQ_MNESIA_BASE: dataDir } : {}) });
  return hostname ? container.withHostname(hostname) : container;
}

function rabbitmqTarget(options: { hostname: string | undefined; persistent: boolean }): DatabaseTarget<'rabbitmq'> {
  return {
    name: 'rabbitmq',
    displayName: 'RabbitMQ',
    image: 'rabbitmq',
    port: 5672,
    // RABBITMQ_MNESIA_BASE moves the nodes' data; /tmp is outside the image's VOLUME and writable by the rabbitmq user.
    dataPaths: { documented: ['/var/lib/rabbitmq'], writableLayer: '/tmp/rabbitmq-writable-layer' },
    // Printed once, when a node is created: its default virtual host and user are defined.
    initialisationMarkers: [/Adding vhost '\/' \(description: 'Default virtual host'/],
    quickFirstStart: true,
    readyMarker: /Server startup complete/,
    // 3.x prints "SIGTERM received - shutting down"; the server says it stops its applications after.
    shutdownRequestedMarker: /SIGTERM received - shutting down|RabbitMQ is asked to stop/,
    cleanShutdownMarker: /Successfully stopped RabbitMQ and its dependencies|Management plugin: to stop collect_statistics/,
    // After a kill the message store rebuilds its index from the files.
    crashRecoveryMarkers: [/rebuilding indices from scratch/],
    logsCrashRecovery: false,
    // The start banner's "database dir : /var/lib/rabbitmq/mnesia/rabbit@<host>" (each console line ends in a colour reset).
    dataDirectoryInLog: /(?:database|data) dir\s*:\s*([^\s\x1b]+)/g,
    procedureEnv: { PERSIST_DB_USER: USER, PERSIST_DB_PASSWORD: PASSWORD },
    relaxedDurability: {
      serverArgs: [],
      description: 'messages published without delivery mode 2 (transient): kept in memory only',
    },
    // A user's image that keeps its nodes' data elsewhere: RABBITMQ_MNESIA_BASE, in a folder the rabbitmq user owns.
    dataDirInImage: (dir) => [`RUN mkdir -p ${dir} && chown rabbitmq:rabbitmq ${dir}`, `ENV RABBITMQ_MNESIA_BASE=${dir}`],

    container(image, dataDir) {
      return harnessContainer(image, dataDir, options.hostname);
    },

    async connect(host, port, login?: Login) {
      const user = encodeURIComponent(login?.user ?? USER);
      const password = encodeURIComponent(login?.password ?? PASSWORD);
      // Refused until the node has started its listeners: not ready yet.
      const model = await amqp.connect(`amqp://${user}:${password}@${host}:${port}/%2F`, { timeout: 2_000 });
      // An error after connecting (the broker stopped under us) must not crash the process.
      model.on('error', () => undefined);
      return new RabbitmqConnection(model, options.persistent);
    },
  };
}

/** The harness's RabbitMQ: host name pinned, persistent messages on durable queues. */
export const rabbitmq = rabbitmqTarget({ hostname: PINNED_HOSTNAME, persistent: true });

/** The host-name trap: each container gets Docker's default host name (its id), as a Compose service without `hostname:` does. */
export const rabbitmqUnpinnedHostname = rabbitmqTarget({ hostname: undefined, persistent: true });

/** Messages published without delivery mode 2 on the same durable queues: the broker keeps them in memory. */
export const rabbitmqTransientMessages = rabbitmqTarget({ hostname: PINNED_HOSTNAME, persistent: false });

class RabbitmqConnection implements DatabaseConnection {
  private readonly model: ChannelModel;
  private readonly persistent: boolean;
  /**
   * Rejects once the connection is gone. A broker killed mid-publish leaves amqplib's pending
   * confirms unsettled for ever; every call races this, so it fails instead of hanging.
   */
  private readonly gone: Promise<never>;

  constructor(model: ChannelModel, persistent: boolean) {
    this.model = model;
    this.persistent = persistent;
    this.gone = new Promise((_, reject) => model.once('close', () => reject(new Error('the connection to RabbitMQ closed'))));
    this.gone.catch(() => undefined);
  }

  async serverVersion(): Promise<string> {
    const properties = this.model.connection.serverProperties;
    return `${properties.product ?? 'RabbitMQ'} ${properties.version ?? 'unknown'}`;
  }

  /** RabbitMQ says where its node keeps its data in its start banner, not over AMQP: the probe reads dataDirectoryInLog. */
  async dataDirectory(): Promise<string> {
    throw new Error('RabbitMQ reports its data directory in its log (dataDirectoryInLog), not over AMQP.');
  }

  async write(dataset: Dataset): Promise<void> {
    const declared = await this.declare(dataset.tables.map((table) => queueOf(table.name)));
    for (const table of dataset.tables) {
      await this.publish(
        queueOf(table.name),
        table.rows.map((row) => ({ id: String(row[0]), body: row.map(String).join('\t') })),
      );
    }
    await declared.onDisk();
  }

  async fingerprint(tableNames: string[]): Promise<Fingerprint> {
    const fingerprint: Fingerprint = {};
    for (const table of tableNames) {
      const messages = await this.peek(queueOf(table));
      if (messages === undefined) {
        fingerprint[table] = { present: false, rows: 0, contentHash: null };
        continue;
      }
      const hash = createHash('sha256');
      for (const message of messages) hash.update(`${message.body}\n`);
      fingerprint[table] = { present: true, rows: messages.length, contentHash: hash.digest('hex').slice(0, 32) };
    }
    return fingerprint;
  }

  async createLedger(): Promise<void> {
    await (await this.declare([LEDGER_QUEUE])).onDisk();
  }

  async writeLedger(id: number): Promise<void> {
    await this.publish(LEDGER_QUEUE, [{ id: String(id), body: String(id) }]);
  }

  async ledgerIds(): Promise<number[]> {
    return ((await this.peek(LEDGER_QUEUE)) ?? []).map((message) => Number(message.id));
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }

  /** A channel whose error events (a missing queue, a broker gone) surface as the rejected calls, never as a crash. */
  private async channel(): Promise<Awaited<ReturnType<ChannelModel['createChannel']>>> {
    const channel = await this.model.createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  /**
   * Declares the durable queues the broker does not have yet; onDisk() returns once those
   * declarations are on disk (the publishing in between counts towards the wait).
   */
  private async declare(queues: string[]): Promise<{ onDisk(): Promise<void> }> {
    let created = 0;
    for (const queue of queues) {
      // A missing queue closes the channel with 404, so each question gets its own channel.
      const probe = await this.channel();
      const exists = await probe.checkQueue(queue).then(
        () => true,
        () => false,
      );
      await probe.close().catch(() => undefined);
      if (exists) continue;
      const channel = await this.channel();
      await channel.assertQueue(queue, { durable: true });
      await channel.close();
      created++;
    }
    const settled = deadlineIn(created > 0 ? DECLARATION_ON_DISK_MS : 0);
    return { onDisk: () => Promise.race([sleep(settled.remainingMs()), this.gone]) };
  }

  /** Declares the durable queue and publishes each message, then waits until the broker has confirmed them all. */
  private publish(queue: string, messages: { id: string; body: string }[]): Promise<void> {
    return Promise.race([this.publishConfirmed(queue, messages), this.gone]);
  }

  private async publishConfirmed(queue: string, messages: { id: string; body: string }[]): Promise<void> {
    const channel = await this.model.createConfirmChannel();
    // A broker killed mid-publish fails waitForConfirms; the channel's own error event must not crash the process too.
    channel.on('error', () => undefined);
    try {
      await channel.assertQueue(queue, { durable: true });
      for (const message of messages) channel.sendToQueue(queue, Buffer.from(message.body), { persistent: this.persistent, messageId: message.id });
      await channel.waitForConfirms();
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Every message of a queue in id order, left in the queue; undefined when the queue does not exist. */
  private peek(queue: string): Promise<{ id: string; body: string }[] | undefined> {
    return Promise.race([this.peekInOrder(queue), this.gone]);
  }

  private async peekInOrder(queue: string): Promise<{ id: string; body: string }[] | undefined> {
    // A missing queue closes the channel with 404: that is an answer, not an error.
    const channel = await this.channel();
    let ready: number;
    try {
      ready = (await channel.checkQueue(queue)).messageCount;
    } catch {
      return undefined;
    }
    // Delivered by a consumer, not one basic.get round trip per message (10,000 rows: 4.5 s).
    // Nothing else consumes, so the queue's count of ready messages is what arrives; a broker
    // that stops delivering ends the read all the same, and the comparison then shows the gap.
    const messages: { id: string; body: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      if (ready === 0) return resolve();
      const quiet = quietTimer(FIRST_MESSAGE_MS, resolve);
      channel
        .consume(queue, (message) => {
          if (message === null) return resolve();
          messages.push({ id: String(message.properties.messageId), body: message.content.toString() });
          if (messages.length >= ready) {
            quiet.cancel();
            resolve();
          } else quiet.rearm(QUIET_MS);
        })
        .catch(reject);
    });
    // Never acknowledged: closing the channel returns every message to the queue.
    await channel.close().catch(() => undefined);
    return messages.sort((a, b) => Number(a.id) - Number(b.id));
  }
}

/** What src/services/drivers.ts loads for this service. */
export const driver = rabbitmq;
