// The user's own backup and restore commands from x-persist, run as `--procedure` runs them: on
// the host with `sh -c`, from the project directory, with a folder for the backups. Compose's
// own variables point every `docker compose` in them at the copy, so a team's script written for
// their project works unchanged and never reaches the original.
import { mkdir } from 'node:fs/promises';
import { execa } from 'execa';
import type { ComposeStack } from '../compose/compose-stack.ts';
import { lastLines } from '../terminal/last-lines.ts';
import { stopwatch } from '../timing/clock.ts';

const COMMAND_TIMEOUT_MS = 600_000;
/** Compose variables a user may have set for their own project: the copy's replace them, or none. */
const COMPOSE_VARIABLES = ['COMPOSE_PROJECT_NAME', 'COMPOSE_FILE', 'COMPOSE_PROFILES', 'COMPOSE_ENV_FILES', 'COMPOSE_PATH_SEPARATOR'];

export interface CommandOutcome {
  ok: boolean;
  ms: number;
  /** "exited 0 in 120 ms", or the exit and the last lines of its output (credentials hidden). */
  summary: string;
}

export async function runUserCommand(stack: ComposeStack, command: string, variables: { service: string; backupDir: string }): Promise<CommandOutcome> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of COMPOSE_VARIABLES) delete env[name];
  Object.assign(env, stack.commandEnvironment(), {
    PERSIST_SERVICE: variables.service,
    PERSIST_BACKUP_DIR: variables.backupDir,
    PERSIST_PROJECT: stack.plan.projectName,
  });
  await mkdir(variables.backupDir, { recursive: true });
  const watch = stopwatch();
  const result = await execa('sh', ['-c', command], {
    cwd: stack.projectDirectory(),
    env,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: COMMAND_TIMEOUT_MS,
  });
  const ms = watch.ms();
  if (result.exitCode === 0 && !result.timedOut) return { ok: true, ms, summary: `\`${command}\` exited 0 in ${ms.toFixed(0)} ms` };
  const tail = lastLines(String(result.all ?? ''));
  const how = result.timedOut ? `did not finish within ${COMMAND_TIMEOUT_MS / 1000} s` : `exited ${result.exitCode ?? 'on a signal'}`;
  return { ok: false, ms, summary: `\`${command}\` ${how}${tail ? `: ${stack.redact(tail)}` : ''}` };
}
