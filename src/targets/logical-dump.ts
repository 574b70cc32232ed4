// A database's logical dump, taken and fed back through the server's own tools (`docker exec`,
// the commands its target names): the backup drill's native-dump method and the upgrade drill's
// dump-and-restore path both use it.
import { readFile, writeFile } from 'node:fs/promises';
import { execIn } from '../docker/exec.ts';
import { lastLines } from '../terminal/last-lines.ts';
import { withTimeout } from '../timing/clock.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';

/** The backup step did not produce a usable backup. */
export class BackupFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFailedError';
  }
}

/** The restore step could not put the data back. */
export class RestoreFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreFailedError';
  }
}

const DUMP_TIMEOUT_MS = 600_000;

type LogicalBackup = NonNullable<DatabaseTarget['logicalBackup']>;

/** Runs the dump command in the container, its SQL into `file` on the host; throws BackupFailedError. */
export async function dumpToFile(containerId: string, logical: LogicalBackup, file: string): Promise<void> {
  const run = await withTimeout(execIn(containerId, logical.dump), DUMP_TIMEOUT_MS, 'the dump did not finish within 10 minutes');
  if (run.exitCode !== 0) throw new BackupFailedError(`the dump exited with ${run.exitCode}: ${lastLines(run.stderr)}`);
  await writeFile(file, run.stdout);
}

/** Feeds `file` to the restore command in the container; throws RestoreFailedError. */
export async function restoreFromFile(containerId: string, logical: LogicalBackup, file: string): Promise<void> {
  const stdin = await readFile(file);
  const run = await withTimeout(execIn(containerId, logical.restore, { stdin }), DUMP_TIMEOUT_MS, 'the restore did not finish within 10 minutes');
  if (run.exitCode !== 0) throw new RestoreFailedError(`the restore exited with ${run.exitCode}: ${lastLines(run.stderr)}`);
}
