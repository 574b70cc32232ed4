// One run's resources: every volume, host folder and container it makes carries the run
// label (folders live under the run's temp root) and is removed when the run is done.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, statusCode } from './engine.ts';
import { removeContainer } from './containers.ts';
import { runLabels } from './labels.ts';
import { removeRunResources } from './cleanup.ts';
import { releaseDisksUnder } from '../host/release-disks.ts';
import { runTempRoot } from './temp-root.ts';
import { describeError } from '../errors.ts';

export { harnessTempRoot, runTempRoot } from './temp-root.ts';

type Tracked = { kind: 'container' | 'image' | 'disks' | 'network' | 'volume' | 'folder'; id: string };

/** One counter for every scope in this process, so names never repeat within a run. */
let nameCounter = 0;

/**
 * A scope tracks what it created so that a trial can remove exactly its own things while
 * other scenario files of the same run are still working.
 */
export class RunScope {
  readonly runId: string;
  private readonly tracked: Tracked[] = [];
  private readonly disposers: Array<() => Promise<void>> = [];

  constructor(runId: string) {
    this.runId = runId;
  }

  labels(purpose: string): Record<string, string> {
    return runLabels(this.runId, purpose);
  }

  /** Names are unique within the run and say what they are for. */
  uniqueName(purpose: string): string {
    nameCounter += 1;
    const safe = purpose
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return `ph-${this.runId}-${safe}-${process.pid}-${nameCounter}`;
  }

  async createVolume(purpose: string): Promise<string> {
    const name = this.uniqueName(purpose);
    await docker().createVolume({ Name: name, Labels: this.labels(purpose) });
    this.tracked.push({ kind: 'volume', id: name });
    return name;
  }

  async createHostFolder(purpose: string): Promise<string> {
    const path = join(runTempRoot(this.runId), this.uniqueName(purpose));
    await mkdir(path, { recursive: true, mode: 0o755 });
    this.tracked.push({ kind: 'folder', id: path });
    return path;
  }

  /** A user-defined bridge network, as the seed's WordPress exercise uses for name resolution. */
  async createNetwork(purpose: string): Promise<string> {
    const name = this.uniqueName(purpose);
    await docker().createNetwork({ Name: name, Driver: 'bridge', Labels: this.labels(purpose) });
    this.tracked.push({ kind: 'network', id: name });
    return name;
  }

  /** A volume made with its own options; it must carry this scope's labels. */
  trackVolume(name: string): void {
    this.tracked.push({ kind: 'volume', id: name });
  }

  /** An image the run made (it must carry the run label, so a sweep finds it too). */
  trackImage(id: string): void {
    this.tracked.push({ kind: 'image', id });
  }

  trackContainer(id: string): void {
    this.tracked.push({ kind: 'container', id });
  }

  /**
   * A host folder holding loop-device disks (host/power-disk.ts): after the containers that use
   * them are gone, every mount below it is unmounted and every loop device detached.
   */
  trackDisks(folder: string): void {
    this.tracked.push({ kind: 'disks', id: folder });
  }

  /** Runs first when the scope is disposed: for what removes itself (a Compose project's `down`). */
  onDispose(disposer: () => Promise<void>): void {
    this.disposers.push(disposer);
  }

  /** A child scope whose dispose() removes only what was made through it. */
  child(): RunScope {
    return new RunScope(this.runId);
  }

  /** Removes what this scope made: containers first, since they hold the networks and volumes. */
  async dispose(): Promise<void> {
    const items = this.tracked.splice(0).reverse();
    const order: Tracked['kind'][] = ['container', 'image', 'disks', 'network', 'volume', 'folder'];
    const problems: string[] = [];
    for (const disposer of this.disposers.splice(0).reverse()) {
      try {
        await disposer();
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    for (const kind of order) {
      for (const item of items.filter((t) => t.kind === kind)) {
        try {
          await removeTracked(item);
        } catch (error) {
          problems.push(`${item.kind} ${item.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    if (problems.length > 0) throw new Error(`cleanup left things behind: ${problems.join('; ')}`);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

async function removeTracked(item: Tracked): Promise<void> {
  switch (item.kind) {
    case 'container':
      return removeContainer(item.id);
    case 'image':
      return ignoreMissing(docker().getImage(item.id).remove({ force: true }));
    case 'disks':
      await releaseDisksUnder(item.id);
      return;
    case 'network':
      return ignoreMissing(docker().getNetwork(item.id).remove());
    case 'volume':
      return removeVolume(item.id);
    case 'folder':
      return rm(item.id, { recursive: true, force: true });
  }
}

/** Removes a volume; one already gone is as good as removed. */
export function removeVolume(name: string): Promise<void> {
  return ignoreMissing(docker().getVolume(name).remove());
}

/** Already gone is as good as removed. */
async function ignoreMissing(removal: Promise<unknown>): Promise<void> {
  try {
    await removal;
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}

/** The end of a run, interrupted or not: everything with its label, and its temp root. */
export async function sweepRun(runId: string): Promise<void> {
  try {
    await removeRunResources(runId);
  } finally {
    await rm(runTempRoot(runId), { recursive: true, force: true });
  }
}

/**
 * Removes a command's scope, then anything else carrying its run's label. What could not be
 * removed is returned, not thrown: the command's verdict stands, and says it after.
 */
export async function closeRun(scope: RunScope, log: (line: string) => void): Promise<unknown> {
  await scope.dispose().catch((error: unknown) => log(`cleanup: ${describeError(error)}`));
  return sweepRun(scope.runId).then(
    () => undefined,
    (error: unknown) => error,
  );
}
