// A dump file loaded into a running server by its service's kit: one restore of a logical dump,
// whether `persist verify` restores a team's file into a throwaway server or the backup drill
// restores the dump it made into a fresh service. The kit decides how (ON_ERROR_STOP, one
// transaction, the dump's database and owners); this module only connects it to a container.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { execIn } from '../docker/exec.ts';
import { type ArtifactHead, artifactKitOf, type RestoreOutcome, type RunInServer } from './artifact-kits.ts';

/** How much of a dump its format is told by. */
const HEAD_BYTES = 64 * 1024;

/** Commands in a container, the artifact's bytes fed on standard input where asked. */
export function runInContainer(id: string, artifact: () => Readable): RunInServer {
  return (command, stdin) => execIn(id, [...command], stdin === undefined ? {} : { stdin: stdin === 'artifact' ? artifact() : stdin });
}

async function headOf(file: string): Promise<ArtifactHead> {
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, HEAD_BYTES, 0);
    return { shape: 'file', bytes: bytes.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/**
 * Loads an uncompressed dump file into the service's running server with the service's kit;
 * undefined where the service has no kit that reads such a dump (the caller restores its own way).
 */
export async function loadDumpInto(containerId: string, service: string, file: string): Promise<(RestoreOutcome & { format: string }) | undefined> {
  const kit = artifactKitOf(service);
  const head = await headOf(file);
  const format = kit?.formats.find((candidate) => !candidate.placeAs && !candidate.fillsDataDirectory && candidate.recognise(head));
  if (!kit || !format) return undefined;
  const read = () => createReadStream(file);
  return { format: format.title, ...(await kit.restore(runInContainer(containerId, read), format.id, { head, read })) };
}
