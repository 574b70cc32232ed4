// What a backup drill backs up and proves: a database (its data directory on a volume, its
// tables fingerprinted in SQL) or WordPress's files (the site's volume, fingerprinted file by
// file and by what the web server serves). Each can seed known data, take a snapshot of what
// must survive, and keep a ledger of writes going while the backup runs.
import { HostOnlyContainer } from '../docker/host-only-container.ts';
import { type ImageTarget, runConfig } from '../config.ts';
import { compareFingerprints, summariseFingerprint, type Fingerprint } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { sha256 } from '../data/hash.ts';
import { deterministicPng } from '../data/png.ts';
import { removeContainer, stopGracefully } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import { demultiplexLogs } from '../docker/log-frames.ts';
import { runOneShot } from '../docker/one-shot.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { HarnessStack, type ServiceDefinition } from '../stack/harness-stack.ts';
import type { Stack } from '../stack/stack.ts';
import type { BackupSubjectName } from '../services/registry.ts';
import { DATABASE_DRIVERS, type ServiceTarget } from '../services/drivers.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { copyInitialised } from '../probes/initialised-copy.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';
import type { DatabaseConnection, DatabaseTarget } from '../stack/database-target.ts';
import { httpRequest, pollUntil } from '../web/http.ts';
import { compareListings, groupedFingerprint, LISTING_SCRIPT, parseListing, withoutPrefix, type Listing } from './file-listing.ts';
import { emptyLedger, startLedgerLoop, type LedgerLog, type LedgerWriter } from '../probes/ledger.ts';

/** A service running on a volume: a one-service stack. */
export interface ServiceHandle {
  stack: Stack;
  service: string;
  /** Its container now, for the methods that exec into it. */
  id: string;
  volume: string;
}

/** The subject's service as a one-service stack on the volume. */
async function startService(env: SubjectEnv, name: string, volume: string, define: ServiceDefinition): Promise<ServiceHandle> {
  const stack = await HarnessStack.start(env.scope, 'backup', { [name]: define });
  return { stack, service: name, id: stack.containerId(name), volume };
}

export interface SubjectEnv {
  scope: RunScope;
  /** The service's image reference. */
  image: string;
  /** The helper image (alpine, or its stand-in) for listings and file writes. */
  toolboxImage: string;
}

export interface Snapshot {
  fingerprint: Fingerprint;
  /** File subjects: every entry, for a comparison that names each file. */
  listing?: Listing;
}

export interface SnapshotComparison {
  identical: boolean;
  lost: number;
  unexpected: number;
  differences: string[];
}

export interface SubjectSession {
  serverVersion(): Promise<string>;
  /** Writes the drill's dataset (and creates the ledger). */
  seed(): Promise<void>;
  /** What must survive a backup and restore; the ledger is left out (it is judged as RPO). */
  snapshot(): Promise<Snapshot>;
  startWriter(firstId: number): Promise<LedgerWriter>;
  ledgerIds(): Promise<number[]>;
  close(): Promise<void>;
}

export interface BackupSubject {
  /** The report's `target`. */
  name: string;
  displayName: string;
  image: ImageTarget;
  /** Where the service keeps its data in this image: the volume is mounted here. */
  dataMount(image: string): Promise<string>;
  /** What a start prints when the data was not shut down cleanly; empty where there is no such thing. */
  crashRecoveryMarkers: RegExp[];
  initialisationMarkers: RegExp[];
  /** The line a started service prints once it serves; its earlier lines are then in the log. */
  readyMarker?: RegExp;
  logicalBackup?: DatabaseTarget['logicalBackup'];
  /** Settings handed to a user's backup and restore commands. */
  procedureEnv: Record<string, string>;
  /**
   * Puts the image's own first-start initialisation into a new volume before the service first
   * starts on it (see targets/initialised-copy.ts); the sentence for the evidence, or undefined.
   */
  initialise?(env: SubjectEnv, volume: string, templateScope: RunScope): Promise<string | undefined>;
  /** Creates and starts the service on the volume; resolves once its container runs. */
  create(env: SubjectEnv, volume: string): Promise<ServiceHandle>;
  /** Waits until the service answers; the session seeds and fingerprints this dataset. */
  connect(env: SubjectEnv, service: ServiceHandle, dataset: Dataset): Promise<SubjectSession>;
}

export function compareSnapshots(before: Snapshot, after: Snapshot): SnapshotComparison {
  if (before.listing && after.listing) {
    const files = compareListings(before.listing, after.listing);
    const served = Object.fromEntries(Object.entries(before.fingerprint).filter(([name]) => name.startsWith('served ')));
    const servedAfter = Object.fromEntries(Object.entries(after.fingerprint).filter(([name]) => name.startsWith('served ')));
    const http = compareFingerprints(served, servedAfter, { subject: (name) => name, unit: 'responses' });
    return {
      identical: files.identical && http.identical,
      lost: files.lost,
      unexpected: files.unexpected,
      differences: [...files.differences, ...http.differences],
    };
  }
  const tables = compareFingerprints(before.fingerprint, after.fingerprint);
  return { identical: tables.identical, lost: tables.rowsLost, unexpected: tables.rowsUnexpected, differences: tables.differences };
}

/** A sentence for the evidence: tables with their counts and hashes, or files in brief. */
export function describeSnapshot(snapshot: Snapshot): string {
  if (!snapshot.listing) return summariseFingerprint(snapshot.fingerprint);
  const files = [...snapshot.listing.values()].filter((entry) => entry.type === 'f').length;
  const served = Object.entries(snapshot.fingerprint)
    .filter(([name]) => name.startsWith('served '))
    .map(([name, t]) => (t.present ? `${name}: sha256 ${t.contentHash?.slice(0, 12)}` : `${name}: not served`));
  return [`${files} files and ${snapshot.listing.size - files} directories and links, each with its sha256, owner and mode`, ...served].join('; ');
}

// ---- databases -------------------------------------------------------------------------

export function databaseSubject(target: ServiceTarget): BackupSubject {
  return {
    name: target.name,
    displayName: target.displayName,
    image: target.image,
    dataMount: async (image) => (await dataLayoutOf(image, target.dataPaths)).dataMount,
    crashRecoveryMarkers: target.crashRecoveryMarkers,
    readyMarker: target.readyMarker,
    initialisationMarkers: target.initialisationMarkers,
    logicalBackup: target.logicalBackup,
    procedureEnv: target.procedureEnv,

    async initialise(env, volume, templateScope) {
      const { dataMount } = await dataLayoutOf(env.image, target.dataPaths);
      return copyInitialised(
        target,
        { server: env.image, toolbox: runConfig().images.toolbox.reference },
        { kind: 'named-volume', source: volume, mountPath: dataMount },
        templateScope,
        env.scope,
      );
    },

    async create(env, volume) {
      const { dataMount } = await dataLayoutOf(env.image, target.dataPaths);
      return startService(env, target.name, volume, () =>
        target.container(env.image, undefined).withBindMounts([{ source: volume, target: dataMount, mode: 'rw' }]),
      );
    },

    async connect(_env, { stack, service }, dataset) {
      const probe = new SqlProbe(target, dataset, service);
      // ready() keeps its connection for the session's reads; the writer has one of its own.
      await probe.ready(stack);
      const connection = await probe.connect(stack);
      return {
        serverVersion: () => probe.serverVersion(stack),
        async seed() {
          await probe.seed(stack);
          await connection.createLedger();
        },
        snapshot: async () => ({ fingerprint: await probe.fingerprint(stack) }),
        async startWriter(firstId) {
          const writerConnection: DatabaseConnection = await probe.connect(stack);
          const loop = startLedgerLoop(firstId, (id) => writerConnection.writeLedger(id));
          return {
            async stop() {
              const log = await loop.stop();
              await writerConnection.close();
              return log;
            },
          };
        },
        ledgerIds: () => connection.ledgerIds(),
        async close() {
          await connection.close();
          await probe.release();
        },
      };
    },
  };
}

// ---- WordPress files -------------------------------------------------------------------

const SITE_DIR = '/var/www/html';
const WWW_DATA = '33:33';
export const MEDIA_PATH = 'wp-content/uploads/persist/harness.png';
const PLUGIN_PATH = 'wp-content/plugins/persist-marker/persist-marker.php';
const LEDGER_DIR = 'wp-content/uploads/persist-ledger';
const READY_TIMEOUT_MS = 120_000;
const STATIC_FILE = 'readme.html';

export const wordpressFiles: BackupSubject = {
  name: 'wordpress-files',
  displayName: 'WordPress files',
  image: 'wordpress',
  dataMount: async () => SITE_DIR,
  crashRecoveryMarkers: [],
  // The image's entrypoint copies WordPress into an empty site folder and says so.
  initialisationMarkers: [/WordPress not found in .*copying now/],
  procedureEnv: {},

  async create(env, volume) {
    // No database: the files, and what the web server serves from them, are the subject.
    const define = () =>
      new HostOnlyContainer(env.image)
        .withEnvironment({
          WORDPRESS_DB_HOST: 'no-database-in-this-drill',
          WORDPRESS_DB_USER: 'wordpress',
          WORDPRESS_DB_PASSWORD: 'unused',
          WORDPRESS_DB_NAME: 'wordpress',
        })
        .withBindMounts([{ source: volume, target: SITE_DIR, mode: 'rw' }])
        .withExposedPorts(80)
        .withWaitStrategy(new ContainerRunning());
    return startService(env, 'wordpress-files', volume, define);
  },

  async connect(env, service) {
    const { host, port } = await service.stack.endpoint(service.service, 80);
    const base = `http://${host}:${port}`;
    // A static file every WordPress ships (Debian's package drops license.txt): with the rewrite
    // rules in .htaccess, a missing file would go to index.php and need the database.
    await pollUntil(`${base}/${STATIC_FILE}`, (answer) => answer.status < 500, `Waiting for ${base}/${STATIC_FILE} to answer`, READY_TIMEOUT_MS, 50);
    const media = deterministicPng(96, 64, 11);
    return {
      async serverVersion() {
        const answer = await httpRequest(`${base}/${STATIC_FILE}`);
        return `WordPress files served by ${answer.status === 200 ? 'Apache with WordPress' : `a server answering ${answer.status}`}`;
      },
      async seed() {
        const plugin = "<?php\n/*\nPlugin Name: Persist marker\n*/\necho 'persist-marker';\n";
        const script = [
          `mkdir -p /data/${MEDIA_PATH.replace(/\/[^/]+$/, '')} /data/${PLUGIN_PATH.replace(/\/[^/]+$/, '')}`,
          `echo '${media.toString('base64')}' | base64 -d > /data/${MEDIA_PATH}`,
          `printf '%s' '${plugin.replaceAll("'", "'\\''")}' > /data/${PLUGIN_PATH}`,
          `chown -R ${WWW_DATA} /data/wp-content/uploads /data/wp-content/plugins/persist-marker`,
          // A mode other than the default, so a restore that loses modes shows.
          `chmod 640 /data/${PLUGIN_PATH}`,
        ].join(' && ');
        await runChecked(env, service.volume, script, 'seed WordPress files');
      },
      async snapshot() {
        const listing = withoutPrefix(parseListing(await runChecked(env, service.volume, LISTING_SCRIPT, 'list files', true)), LEDGER_DIR);
        const answer = await httpRequest(`${base}/${MEDIA_PATH}`);
        const fingerprint = groupedFingerprint(listing);
        fingerprint[`served /${MEDIA_PATH}`] =
          answer.status === 200 ? { present: true, rows: 1, contentHash: sha256(answer.body) } : { present: false, rows: 0, contentHash: null };
        return { fingerprint, listing };
      },
      startWriter: (firstId) => startFileWriter(env, service.volume, firstId),
      async ledgerIds() {
        const output = await runChecked(env, service.volume, `ls /data/${LEDGER_DIR} 2>/dev/null || true`, 'list the ledger', true);
        return output
          .split('\n')
          .filter((name) => /^\d+$/.test(name))
          .map(Number);
      },
      close: async () => undefined,
    };
  },
};

async function runChecked(env: SubjectEnv, volume: string, script: string, what: string, readOnly = false): Promise<string> {
  const run = await runOneShot(env.scope, { image: env.toolboxImage, script, binds: [`${volume}:/data${readOnly ? ':ro' : ''}`], purpose: what });
  if (run.exitCode !== 0)
    throw new HarnessError(
      `Could not ${what}: the helper exited with ${run.exitCode}: ${run.logs.trim().slice(-300)}.`,
      'Check the helper image (--images) and the engine.',
    );
  return run.logs;
}

/**
 * The files ledger: a helper container on the same volume writes one numbered file every
 * 20 ms and prints "ack <id>" once it is written. The engine's log timestamps say when each
 * write was acknowledged. Files only ever appear: a temporary file renamed into place would
 * vanish under a hot copy, and `cp` fails on a file that vanishes while it copies.
 */
async function startFileWriter(env: SubjectEnv, volume: string, firstId: number): Promise<LedgerWriter> {
  const dir = `/data/${LEDGER_DIR}`;
  const script = `trap 'exit 0' TERM; mkdir -p ${dir}; i=${firstId}; while :; do echo $i > ${dir}/$i && echo "ack $i"; i=$((i+1)); sleep 0.02; done`;
  const container = await docker().createContainer({
    Image: env.toolboxImage,
    Cmd: ['sh', '-c', script],
    Labels: env.scope.labels('backup-files-writer'),
    HostConfig: { Binds: [`${volume}:/data`] },
  });
  env.scope.trackContainer(container.id);
  await container.start();
  return {
    async stop(): Promise<LedgerLog> {
      await stopGracefully(container.id, 5_000);
      const raw = (await container.logs({ stdout: true, stderr: true, timestamps: true })) as unknown as Buffer;
      await removeContainer(container.id);
      const log = emptyLedger();
      for (const line of demultiplexLogs(raw).split('\n')) {
        const ack = /^(\S+) ack (\d+)$/.exec(line.trim());
        if (!ack) continue;
        const id = Number(ack[2]);
        log.attempted.push(id);
        log.acknowledged.push({ id, at: Date.parse(ack[1]!) });
      }
      // The write after the last acknowledged one may have been under way when it stopped.
      const next = log.attempted.reduce((max, id) => Math.max(max, id), firstId - 1) + 1;
      log.attempted.push(next);
      log.unknown.push(next);
      return log;
    },
  };
}

/** Every backup subject by the name a procedure file gives; total over the registry's subjects. */
export const BACKUP_SUBJECTS = {
  postgres: databaseSubject(DATABASE_DRIVERS.postgres),
  mysql: databaseSubject(DATABASE_DRIVERS.mysql),
  'wordpress-files': wordpressFiles,
} satisfies Record<BackupSubjectName, BackupSubject>;
