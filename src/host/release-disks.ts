// Unmounts and detaches every disk below a folder of the harness's (a run's temp root): what a
// run made, found again by where it lives, so a sweep after Ctrl-C or `persist clean` finds a
// killed run's disks too, and never anything else's. The order matters: a mount before the loop
// device under it, an inner disk's loop before the XFS its backing file lies on.
import { resolve, sep } from 'node:path';
import { detachLoop, type LoopDevice, loopDevices, type Mount, mounts, unmount } from './loop-devices.ts';
import { sleep } from '../timing/clock.ts';

const STALL_WAIT_MS = 250;

/** A host path at or below a folder, by whole segments: /tmp/a is not within /tmp/ab. */
function isWithinFolder(path: string, folder: string): boolean {
  const f = resolve(folder);
  return resolve(path) === f || resolve(path).startsWith(`${f}${sep}`);
}

export interface DisksUnder {
  mounts: Mount[];
  loops: LoopDevice[];
}

export async function disksUnder(root: string): Promise<DisksUnder> {
  const [allMounts, allLoops] = await Promise.all([mounts(), loopDevices()]);
  return {
    mounts: allMounts.filter((m) => isWithinFolder(m.mountPoint, root)),
    loops: allLoops.filter((l) => isWithinFolder(l.backingFile, root)),
  };
}

/** Releases everything below root; returns what it released, throws with what it could not. */
export async function releaseDisksUnder(root: string): Promise<DisksUnder> {
  const released: DisksUnder = { mounts: [], loops: [] };
  const problems: string[] = [];
  // Each round releases what nothing else holds: mounts with no attached loop's file below
  // them, then loops whose device is no longer mounted; a nested disk takes a round per level.
  let stalled = 0;
  for (let round = 0; round < 32; round++) {
    const left = await disksUnder(root);
    if (left.mounts.length + left.loops.length === 0) return released;
    let progress = false;
    const deepestFirst = [...left.mounts].sort((a, b) => b.mountPoint.length - a.mountPoint.length);
    for (const m of deepestFirst) {
      if (left.loops.some((l) => isWithinFolder(l.backingFile, m.mountPoint))) continue;
      if (await attempt(() => unmount(m.mountPoint), problems)) {
        released.mounts.push(m);
        progress = true;
      }
    }
    const stillMounted = new Set((await mounts()).map((m) => m.source));
    for (const loop of left.loops) {
      if (stillMounted.has(loop.device)) continue;
      if (await attempt(() => detachLoop(loop.device), problems)) {
        released.loops.push(loop);
        progress = true;
      }
    }
    // The kernel lets go of a loop device a moment after its file system is unmounted, and a
    // container started while the disk was mounted holds a copy of the mount until it exits: a
    // round that released nothing waits and looks again, for up to 5 s, before the rest is called stuck.
    if (!progress) {
      if (++stalled > 20) break;
      await sleep(STALL_WAIT_MS);
    }
  }
  const left = await disksUnder(root);
  if (left.mounts.length + left.loops.length > 0) {
    // A loop device still mounted somewhere outside root (the engine's own mounts): name where.
    const elsewhere = (await mounts()).filter((m) => left.loops.some((l) => l.device === m.source) && !isWithinFolder(m.mountPoint, root));
    const where = (device: string) =>
      elsewhere
        .filter((m) => m.source === device)
        .map((m) => `, mounted at ${m.mountPoint}`)
        .join('');
    const named = [...left.mounts.map((m) => m.mountPoint), ...left.loops.map((l) => `${l.device} (${l.backingFile}${where(l.device)})`)];
    throw new Error(`disks left attached under ${root}: ${named.join(', ')}${problems.length > 0 ? ` (${problems.at(-1)})` : ''}`);
  }
  return released;
}

async function attempt(step: () => Promise<void>, problems: string[]): Promise<boolean> {
  try {
    await step();
    return true;
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return false;
  }
}
