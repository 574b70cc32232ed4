// What an image's entrypoint script does that its configuration does not say: read from the
// script itself. The official postgres images from a later 18 build refuse to start with anything
// mounted at /var/lib/postgresql/data (the first 18.0 builds did not); the audit says which
// behaviour it found instead of guessing from the version.
import { posix } from 'node:path';

/** The words the official entrypoint's refusal prints (docker_error_old_databases), and the stand-in's. */
const FORMER_MOUNT_REFUSAL = 'unused mount/volume';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Where the program a container starts with may be: itself when absolute, else each folder of the image's PATH. */
export function entrypointCandidates(entrypoint: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const program = entrypoint[0];
  if (!program) return [];
  if (program.startsWith('/')) return [program];
  return (env.PATH ?? DEFAULT_PATH)
    .split(':')
    .filter((folder) => folder.startsWith('/'))
    .map((folder) => posix.join(folder, program));
}

/** Whether the script refuses to start with a mount at a former data directory. */
export function refusesFormerMount(script: string): boolean {
  return script.includes(FORMER_MOUNT_REFUSAL);
}
