// WordPress's files as a backup subject: the site's volume, fingerprinted file by file (owner and
// mode too) and by what the web server serves from it, with a ledger of files written while the
// backup runs. No database: the files are the subject.
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import { sha256 } from '../../data/hash.ts';
import { deterministicPng } from '../../data/png.ts';
import { removeContainer, stopGracefully } from '../../docker/containers.ts';
import { docker } from '../../docker/engine.ts';
import { followOutput } from '../../docker/follow-output.ts';
import { runOneShot } from '../../docker/one-shot.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';
import { HarnessError } from '../../errors.ts';
import { sleep } from '../../timing/clock.ts';
import { emptyLedger, type LedgerLog, type LedgerWriter } from '../../probes/ledger.ts';
import { groupedFingerprint, LISTING_SCRIPT, parseListing, withoutPrefix } from '../../storage/file-listing.ts';
import { httpRequest, pollUntil } from '../../web/http.ts';
import { type BackupSubject, type SubjectEnv, startService } from '../backup-subject-shape.ts';

const SITE_DIR = '/var/www/html';
const WWW_DATA = '33:33';
const MEDIA_PATH = 'wp-content/uploads/persist/harness.png';
const PLUGIN_PATH = 'wp-content/plugins/persist-marker/persist-marker.php';
const LEDGER_DIR = 'wp-content/uploads/persist-ledger';
const READY_TIMEOUT_MS = 120_000;
const STATIC_FILE = 'readme.html';

/** The backup subject this folder supplies (profile.ts: capabilities.backupSubject). */
export const backupSubject: BackupSubject = {
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
 * 20 ms and prints "ack <id>" once it is written. A write counts as acknowledged when the harness
 * reads its line, on the clock it times the backup with (as a database's ledger counts a commit
 * when its answer arrives). Files only ever appear: a temporary file renamed into place would
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
  const output = await followOutput(container.id);
  await container.start();
  return {
    async stop(): Promise<LedgerLog> {
      await stopGracefully(container.id, 5_000);
      // Its output ends as it exits; the removal ends it in any case.
      await Promise.race([output.ended, sleep(5_000)]);
      await removeContainer(container.id);
      const log = emptyLedger();
      for (const line of output.lines) {
        const ack = /^ack (\d+)$/.exec(line.text.trim());
        if (!ack) continue;
        const id = Number(ack[1]);
        log.attempted.push(id);
        log.acknowledged.push({ id, at: line.atMs });
      }
      // The write after the last acknowledged one may have been under way when it stopped.
      const next = log.attempted.reduce((max, id) => Math.max(max, id), firstId - 1) + 1;
      log.attempted.push(next);
      log.unknown.push(next);
      return log;
    },
  };
}
