// The user's own restore, for any tool persist does not drive itself (pgBackRest, WAL-G,
// xtrabackup, a cloud snapshot's export): their command, run on the host with `sh -c`, fills the
// new, empty volume the service will start on. It gets the artifact's path (read-only to it by
// intent: the damaged copy's path when the damaged copy is restored), the volume's name, and with
// an archive, the archive's path and the time to stop at.
import { postgresTime } from '../timing/time-forms.ts';
import { execa } from 'execa';
import type { RestoreStep } from '../services/artifact-kits.ts';
import { restoreStep } from '../services/restore-step.ts';
import { withTimeout } from '../timing/clock.ts';

const RESTORE_LIMIT_MS = 30 * 60_000;

export interface RestoreCommandContext {
  artifact: string;
  volume: string;
  dataPath: string;
  image: string;
  /** `persistence-harness.run=<runId>`: a label for what the command starts, so a sweep finds it. */
  label: string;
  cwd: string;
  /** `--archive`: the archive beside the artifact (the damaged copy's, for its restore). */
  archive?: string;
  /** Where the server's container has the archive mounted. */
  archiveAt?: string;
  /** The point in time (RFC 3339) this restore must stop at; none for the archive's end. */
  targetTime?: string;
}

/** The variables the command reads; the user's own environment (its credentials) stays as it is. */
export function restoreCommandEnv(context: RestoreCommandContext): Record<string, string> {
  return {
    PERSIST_ARTIFACT: context.artifact,
    PERSIST_VOLUME: context.volume,
    PERSIST_DATA_PATH: context.dataPath,
    PERSIST_IMAGE: context.image,
    PERSIST_LABEL: context.label,
    ...(context.archive ? { PERSIST_ARCHIVE: context.archive } : {}),
    // Where the restored server finds the archive, read-only, to replay it (a restore_command points there).
    ...(context.archiveAt ? { PERSIST_ARCHIVE_AT: context.archiveAt } : {}),
    // PostgreSQL's form, which recovery_target_time and pgBackRest's --target take.
    ...(context.targetTime ? { PERSIST_TARGET_TIME: postgresTime(context.targetTime) } : {}),
  };
}

export async function runRestoreCommand(command: string, context: RestoreCommandContext): Promise<RestoreStep> {
  const result = await withTimeout(
    execa('sh', ['-c', command], { cwd: context.cwd, env: restoreCommandEnv(context), reject: false, stdin: 'ignore', all: true }),
    RESTORE_LIMIT_MS,
    'your restore command did not finish within 30 minutes',
  );
  return restoreStep(command, { exitCode: result.exitCode, stderr: result.all ?? '' });
}
