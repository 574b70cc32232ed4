// Your own backup procedure, as a configuration file: which service it backs up, the command
// that backs up and the command that restores (run on the host with `sh -c`, from the file's
// folder), and how. The harness seeds the service, runs your backup, destroys the volume, runs
// your restore, starts the service on the result and proves the data.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { backupSubjectOwners, backupSubjects, type BackupSubjectName } from '../services/registry.ts';

/** What a procedure can back up: the registry's backup subjects. */
export const PROCEDURE_TARGETS = backupSubjects();
export type ProcedureTarget = BackupSubjectName;
/** Targets that are a service's files, not its database: nothing to restore through a server. */
const FILES_ONLY: readonly string[] = backupSubjectOwners()
  .filter((owner) => !owner.database)
  .map((owner) => owner.subject);

export interface Procedure {
  name: string;
  target: ProcedureTarget;
  backup: string;
  restore: string;
  /** 'volume': restore into the empty volume before the service starts; 'service': into a fresh, running service. */
  restoreInto: 'volume' | 'service';
  /** Stop the service while the backup runs. */
  quiesce: boolean;
  timeoutSeconds: number;
  /** A host folder for the backups; by default one under the run's temp root. */
  backupDir: string | undefined;
  /** The commands run from here: the configuration file's folder. */
  workingDir: string;
}

const DEFAULT_TIMEOUT_SECONDS = 600;
const HELP = 'See docs/backup-procedure.md.';

export async function loadProcedures(path: string): Promise<Procedure[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`The procedure file ${path} cannot be read.`, 'Check the path given to --procedure.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The procedure file ${path} is not valid JSON (${(error as Error).message}).`, HELP);
  }
  return parseProcedures(parsed, path);
}

export function parseProcedures(parsed: unknown, path: string): Procedure[] {
  const invalid = (problem: string) => new UsageError(`The procedure file ${path} is invalid: ${problem}.`, HELP);
  if (!isRecord(parsed) || !Array.isArray(parsed.procedures) || parsed.procedures.length === 0) throw invalid('it needs a non-empty "procedures" list');
  const names = new Set<string>();
  return parsed.procedures.map((entry: unknown, index: number): Procedure => {
    const at = `procedures[${index}]`;
    if (!isRecord(entry)) throw invalid(`${at} is not an object`);
    const text = (key: string, required: boolean): string | undefined => {
      const value = entry[key];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value.trim() === '') throw invalid(`${at}.${key} must be a non-empty string`);
      return value;
    };
    const name = text('name', true)!;
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(name)) throw invalid(`${at}.name must be lowercase letters, digits and dashes`);
    if (names.has(name)) throw invalid(`two procedures are named "${name}"`);
    names.add(name);
    const target = text('target', true)!;
    if (!(PROCEDURE_TARGETS as readonly string[]).includes(target)) throw invalid(`${at}.target must be one of ${PROCEDURE_TARGETS.join(', ')}`);
    const restoreInto = entry.restoreInto ?? 'volume';
    if (restoreInto !== 'volume' && restoreInto !== 'service') throw invalid(`${at}.restoreInto must be "volume" or "service"`);
    const quiesce = entry.quiesce ?? false;
    if (typeof quiesce !== 'boolean') throw invalid(`${at}.quiesce must be true or false`);
    const timeoutSeconds = entry.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1)
      throw invalid(`${at}.timeoutSeconds must be a whole number of seconds`);
    if (restoreInto === 'service' && FILES_ONLY.includes(target))
      throw invalid(`${at}: ${target} is files, not a database: it can only be restored into a volume`);
    const known = new Set(['name', 'target', 'backup', 'restore', 'restoreInto', 'quiesce', 'timeoutSeconds', 'backupDir']);
    const unknown = Object.keys(entry).filter((key) => !known.has(key));
    if (unknown.length > 0) throw invalid(`${at} has unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    const workingDir = dirname(resolve(path));
    const backupDir = text('backupDir', false);
    return {
      name,
      target: target as ProcedureTarget,
      backup: text('backup', true)!,
      restore: text('restore', true)!,
      restoreInto,
      quiesce,
      timeoutSeconds,
      backupDir: backupDir === undefined ? undefined : isAbsolute(backupDir) ? backupDir : resolve(workingDir, backupDir),
      workingDir,
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
