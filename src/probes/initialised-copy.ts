// A database's first start on empty storage runs the image's own initialisation (initdb,
// mariadb-install-db): seconds that were most of every trial on a named volume or bind mount,
// and not what any trial measures. The image initialises one volume once per scenario file
// (for each image and data mount); each trial's new volume or host folder gets a copy of it,
// checked entry by entry (path, type, owner, mode, and each file's size), and its server starts on existing
// data, as after any restart. What the trial writes, and every phase it times, are unchanged.
// Negative controls and tmpfs or writable-layer cells still start from nothing.
import { runOneShot } from '../docker/one-shot.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { SqlProbe } from './sql-probe.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import type { StoragePlacement } from '../storage/placement.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';

/** Per scenario file (one worker process): target, image and data mount → the initialised volume (the target's container settings are fixed). */
const templates = new Map<string, Promise<string>>();

const COPIED = 'copy-verified';
// The same listing of both sides: a copy that lost an owner, a mode or a file differs.
const COPY_AND_CHECK = [
  'set -e',
  'cp -a /source/. /destination/',
  // The mount point itself: not every cp (busybox's) carries the source folder's owner and mode over to it.
  'chown "$(stat -c %u:%g /source)" /destination && chmod "$(stat -c %a /source)" /destination',
  // Directory sizes depend on the file system's history, so only files' sizes are compared.
  "list() { cd \"$1\" && { find . -exec stat -c '%n %F %u:%g %a' {} +; find . -type f -exec stat -c '%n %s' {} +; } | sort; }",
  `if [ "$(list /source)" = "$(list /destination)" ]; then echo ${COPIED}; else echo 'the copy differs from the initialised volume'; exit 3; fi`,
].join('\n');

/**
 * Copies the target's initialised data into a new named volume or host folder before the
 * trial's container first starts; returns the sentence for the evidence, or undefined where
 * the trial starts from nothing (another storage, or a target without initialisation).
 */
export async function copyInitialised(
  target: DatabaseTarget,
  images: { server: string; toolbox: string },
  placement: Pick<StoragePlacement, 'kind' | 'source' | 'mountPath'>,
  templateScope: RunScope,
  trialScope: RunScope,
): Promise<string | undefined> {
  const image = images.server;
  if (target.initialisationMarkers.length === 0 || target.quickFirstStart || placement.source === undefined) return undefined;
  if (placement.kind !== 'named-volume' && placement.kind !== 'bind-mount') return undefined;
  const { dataMount } = await dataLayoutOf(image, target.dataPaths);
  if (placement.mountPath !== dataMount) return undefined;
  const template = await templateFor(target, image, dataMount, templateScope);
  await copyVerified(trialScope, images.toolbox, template, placement.source);
  return `initialised: ${image} initialised volume ${template} once for this scenario file; a copy of it (every entry's type, owner, mode and size checked) is the storage's content before the first start, so the server starts on existing data`;
}

/** Copies a volume into another volume or a host folder, and proves the two list alike; otherwise a HarnessError. */
export async function copyVerified(scope: RunScope, toolboxImage: string, source: string, destination: string): Promise<void> {
  const copy = await runOneShot(scope, {
    image: toolboxImage,
    script: COPY_AND_CHECK,
    binds: [`${source}:/source:ro`, `${destination}:/destination`],
    purpose: 'initialised-copy',
    timeoutMs: 300_000,
  });
  if (copy.exitCode !== 0 || !copy.logs.includes(COPIED)) {
    throw new HarnessError(
      `Copying ${source} into ${destination} failed (exit ${copy.exitCode}): ${copy.logs.trim().split('\n').slice(-2).join(' ')}.`,
      'Check the toolbox image and the space under the engine data root.',
    );
  }
}

function templateFor(target: DatabaseTarget, image: string, dataMount: string, scope: RunScope): Promise<string> {
  const key = `${target.name}\n${image}\n${dataMount}`;
  let template = templates.get(key);
  if (!template) {
    template = initialiseOnce(target, image, dataMount, scope);
    templates.set(key, template);
    // A failure is not kept: the next trial tries again and reports its own error.
    template.catch(() => templates.delete(key));
  }
  return template;
}

/** The image, as configured, starts on an empty volume until it answers, then stops cleanly. */
async function initialiseOnce(target: DatabaseTarget, image: string, dataMount: string, scope: RunScope): Promise<string> {
  const volume = await scope.createVolume(`${target.name}-initialised`);
  const stack = await HarnessStack.start(scope, `${target.name}-initialise`, {
    [target.name]: () => target.container(image, undefined).withBindMounts([{ source: volume, target: dataMount, mode: 'rw' }]),
  });
  const probe = new SqlProbe(target);
  await probe.ready(stack);
  await probe.release();
  const stopped = await stack.stop(target.name);
  await stack.remove(target.name);
  if (stopped.exitCode !== 0) {
    throw new HarnessError(
      `${image} did not stop cleanly after initialising ${volume} (exit ${stopped.exitCode}).`,
      'Run `persist doctor` and check the image.',
    );
  }
  return volume;
}
