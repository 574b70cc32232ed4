// The objects a running server holds, listed by its service's kit from inside its container, as
// `persist verify` lists a restore's: a backup drill's source and its restore, and a checked
// project's database before its backup and after its restore. Rows are not the database: a dump
// that leaves out routines or events restores every row and still loses them.
import type { Readable } from 'node:stream';
import type { Inventory } from '../data/inventory.ts';
import { stopwatch } from '../timing/clock.ts';
import { artifactKitOf } from './artifact-kits.ts';
import { runInContainer } from './load-dump.ts';

const NO_ARTIFACT = (): Readable => {
  throw new Error('listing objects reads no artifact');
};

/** The server's objects, or undefined where its service has no kit that lists them (files, queues). */
export async function objectsInServer(service: string, containerId: string): Promise<Inventory | undefined> {
  const kit = artifactKitOf(service);
  if (!kit?.inventory) return undefined;
  const reading = stopwatch();
  const listed = await kit.inventory(runInContainer(containerId, NO_ARTIFACT), undefined, []);
  return { ...listed, ms: reading.ms() };
}

/** Whether a service's kit lists objects: a probe owed, not one that may quietly be skipped. */
export function listsObjects(service: string): boolean {
  return artifactKitOf(service)?.inventory !== undefined;
}
