// Backup tools' repositories (restic, borg) holding a volume's files: the newest snapshot is
// restored with the tool itself into the run's scratch folder, then goes into a new volume as a
// volume's tar does. The repository is only read: restic runs with --no-lock and --no-cache, borg
// with --bypass-lock, so neither writes a lock or cache into it. The password comes from verify's
// own environment (RESTIC_PASSWORD, BORG_PASSPHRASE…) and never reaches a report.
import { cp, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { HarnessError } from '../errors.ts';
import type { ArtifactFormat, ArtifactHead, IntegrityResult, RestoreStep } from '../services/artifact-kits.ts';
import { restoreStep } from '../services/restore-step.ts';
import { lastLines } from '../terminal/last-lines.ts';

/** The repository cannot be opened as given (no password, a wrong one, no snapshot): exit 2, one sentence. */
export class RepositoryUnusableError extends HarnessError {}

const names = (head: ArtifactHead) => (head.shape === 'directory' ? head.names : []);

export interface Repository extends ArtifactFormat {
  /** The tool, for the sentence that says it is missing. */
  tool: string;
  /** Restores the newest snapshot's files under `into`. */
  restoreLatest(path: string, into: string): Promise<RestoreStep>;
  /** The tool's own check of every byte, beside the restore's verdict; `scratch` is a folder of the run's for a copy. */
  check(path: string, scratch: string): Promise<IntegrityResult>;
}

/** Borg asks before it opens a repository it has not seen; verify sees each one once and only reads it. */
const BORG_ENV = { BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes', BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes' };

/** Where borg looks for a keyfile repository's key on this machine, as borg itself finds it. */
function userBorgKeys(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BORG_KEYS_DIR) return env.BORG_KEYS_DIR;
  const config =
    env.BORG_CONFIG_DIR ?? (env.BORG_BASE_DIR ? join(env.BORG_BASE_DIR, '.config', 'borg') : join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'borg'));
  return join(config, 'keys');
}

/**
 * borg keeps what it learns of each repository (its security notes, its cache) under the user's
 * home: pointed into the run's temporary folder (beside `scratch`, removed with the run), verify
 * leaves nothing outside what it made. A keyfile repository's key is still read where the user keeps it.
 */
function borgEnv(scratch: string): Record<string, string> {
  const base = join(dirname(scratch), 'borg-home');
  return {
    ...BORG_ENV,
    BORG_BASE_DIR: base,
    BORG_CONFIG_DIR: join(base, 'config'),
    BORG_CACHE_DIR: join(base, 'cache'),
    BORG_SECURITY_DIR: join(base, 'security'),
    BORG_KEYS_DIR: userBorgKeys(),
  };
}

function refusal(tool: string, said: string): RepositoryUnusableError | undefined {
  if (/wrong password|no key found|passphrase .*(incorrect|wrong)|passphrase supplied .* is incorrect/i.test(said))
    return new RepositoryUnusableError(
      `The ${tool} repository does not open with the password in verify's environment.`,
      `Set the right one (${tool === 'restic' ? 'RESTIC_PASSWORD or RESTIC_PASSWORD_FILE' : 'BORG_PASSPHRASE'}) and verify again.`,
    );
  if (/RESTIC_PASSWORD|password is empty|Enter (repository )?pass(word|phrase)/i.test(said))
    return new RepositoryUnusableError(
      `The ${tool} repository needs its password.`,
      `Give it in verify's environment (${tool === 'restic' ? 'RESTIC_PASSWORD or RESTIC_PASSWORD_FILE' : 'BORG_PASSPHRASE'}).`,
    );
  return undefined;
}

async function run(tool: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  // With reject: false, a tool that exits non-zero is a result to read; only one that is not there has code ENOENT.
  const result = await execa(tool, args, { reject: false, stdin: 'ignore', ...options });
  if ((result as { code?: string }).code === 'ENOENT')
    throw new RepositoryUnusableError(
      `${tool} is not installed here.`,
      `Install it (Debian: apt-get install ${tool === 'borg' ? 'borgbackup' : tool}) and verify again.`,
    );
  const refused = refusal(tool, `${result.stderr}\n${result.stdout}`);
  if (refused) throw refused;
  return result;
}

/** The tool's lines that say what went wrong (borg ends its message with a traceback's context). */
function errorLines(stderr: string): string {
  const said = stderr.split('\n').filter((line) => /error|corrupt|integrity|unexpected|missing/i.test(line));
  return said.length > 0 ? said.slice(-2).join(' | ') : lastLines(stderr, 3);
}

function step(command: string, result: { exitCode?: number; stderr: string }): RestoreStep {
  return restoreStep(command, result, errorLines);
}

export const RESTIC: Repository = {
  id: 'restic',
  title: 'a restic repository',
  tool: 'restic',
  recognise: (head) => names(head).includes('config') && names(head).some((name) => name.startsWith('keys/')),
  async restoreLatest(path, into) {
    const command = `restic -r ${path} --no-lock --no-cache restore latest --target ${into}`;
    const result = await run('restic', ['-r', path, '--no-lock', '--no-cache', 'restore', 'latest', '--target', into]);
    if (/no snapshot found|no matching ID/i.test(result.stderr))
      throw new RepositoryUnusableError(`The restic repository ${path} holds no snapshot.`, 'Verify a repository your backups were written to.');
    return step(command, result);
  },
  async check(path) {
    const result = await run('restic', ['-r', path, '--no-lock', '--no-cache', 'check', '--read-data']);
    return { tool: 'restic check --read-data', passed: result.exitCode === 0, detail: lastLines(result.exitCode === 0 ? result.stdout : result.stderr, 1) };
  },
};

export const BORG: Repository = {
  id: 'borg',
  title: 'a borg repository',
  tool: 'borg',
  recognise: (head) => names(head).includes('README') && names(head).includes('config') && names(head).some((name) => name.startsWith('data/')),
  async restoreLatest(path, into) {
    const listed = await run('borg', ['list', '--bypass-lock', '--last', '1', '--format', '{archive}', path], { env: borgEnv(into) });
    const archive = listed.stdout.trim();
    if (listed.exitCode !== 0) return step(`borg list --last 1 ${path}`, listed);
    if (archive === '') throw new RepositoryUnusableError(`The borg repository ${path} holds no archive.`, 'Verify a repository your backups were written to.');
    const result = await run('borg', ['extract', '--bypass-lock', `${path}::${archive}`], { cwd: into, env: borgEnv(into) });
    return step(`borg extract --bypass-lock ${path}::${archive}`, result);
  },
  // borg check rewrites the repository's config even with nothing to repair (1.2): it checks a copy.
  async check(path, scratch) {
    const copy = join(scratch, 'borg-check-copy');
    await cp(path, copy, { recursive: true, preserveTimestamps: true });
    const result = await run('borg', ['check', '--bypass-lock', '--verify-data', copy], { env: borgEnv(scratch) });
    await rm(copy, { recursive: true, force: true });
    return {
      tool: 'borg check --verify-data (on a copy)',
      passed: result.exitCode === 0,
      detail: lastLines(result.stderr || result.stdout, 1) || 'no problem reported',
    };
  },
};

export const REPOSITORIES: readonly Repository[] = [RESTIC, BORG];

/** The folder a restored snapshot's data starts at: below every folder all its files share (a snapshot keeps the path it was taken at). */
export async function snapshotRoot(into: string): Promise<string> {
  let root = into;
  for (;;) {
    const entries = await readdir(root, { withFileTypes: true });
    if (entries.length !== 1 || !entries[0]!.isDirectory()) return root;
    root = join(root, entries[0]!.name);
  }
}
