// Unmounts and detaches every disk below a folder of the harness's (a run's temp root): what a
// run made, found again by where it lives, so a sweep after Ctrl-C or `persist clean` finds a
// killed run's disks too, and never anything else's. The order matters: a mount before the loop
// device under it, an inner disk's loop before the XFS its backing file lies on.
import { resolve, sep } from 'node:path';
import { detachLoop, type LoopDevice, loopDevices, type Mount, mounts, unmount } from './loop-devices.ts';

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
  for (let round = 0; round < 6; round++) {
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
    if (!progress) break;
  }
  const left = await disksUnder(root);
  if (left.mounts.length + left.loops.length > 0) {
    const named = [...left.mounts.map((m) => m.mountPoint), ...left.loops.map((l) => `${l.device} (${l.backingFile})`)];
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
