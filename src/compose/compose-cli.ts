// The one way the harness reads a Compose project: Docker Compose itself. `docker compose config`
// applies every rule of the Compose specification (overlays, profiles, interpolation, env files,
// path resolution), so nothing here interprets a Compose file by hand.
import { execa } from 'execa';
import { HarnessError } from '../errors.ts';

/** The project options, as Compose spells them. */
export interface ComposeOptions {
  files: string[];
  projectName?: string;
  profiles: string[];
  envFiles: string[];
  projectDirectory?: string;
}

export class ComposeUnavailableError extends HarnessError {
  constructor(detail: string) {
    super(
      `Docker Compose v2 is not available (${detail}).`,
      "Install the `docker compose` plugin (on Debian 12: Debian 13's docker-compose package, as .ci/setup does), then run `persist doctor`.",
    );
  }
}

export class ComposeConfigError extends HarnessError {
  constructor(message: string) {
    super(`docker compose config refused the project: ${message}.`, 'Fix the Compose file (or the options given), then run persist again.');
  }
}

/** The global flags, in the order Compose documents them. */
export function composeArgs(options: ComposeOptions): string[] {
  return [
    ...options.files.flatMap((file) => ['-f', file]),
    ...(options.projectName ? ['-p', options.projectName] : []),
    ...options.profiles.flatMap((profile) => ['--profile', profile]),
    ...options.envFiles.flatMap((file) => ['--env-file', file]),
    ...(options.projectDirectory ? ['--project-directory', options.projectDirectory] : []),
  ];
}

/**
 * Compose's own message: its last line, without log-level warnings. Compose writes its progress
 * ("Container x  Started") to stderr too; the reason it failed comes last.
 */
export function composeMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^WARN\[\d+\]|^time=".*" level=warning/.test(line));
  return (lines.at(-1) ?? 'no message').replace(/\.$/, '');
}

/** Compose's version (`docker compose version --short`), or why it cannot run. */
export async function composeVersion(): Promise<string> {
  const result = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  if (result.failed || result.exitCode !== 0) {
    const detail = (result as { code?: string }).code === 'ENOENT' ? 'the docker command is not installed' : composeMessage(String(result.stderr ?? ''));
    throw new ComposeUnavailableError(detail);
  }
  const version = String(result.stdout).trim().replace(/^v/, '');
  if (!/^2\./.test(version)) throw new ComposeUnavailableError(`found version ${version}, and the harness needs 2.x`);
  return version;
}

/**
 * `docker compose config` prints a model that Compose could read again, so it writes every
 * literal `$` as `$$` (`echo $HOME` comes out as `echo $$HOME`), in every string, the
 * environment's values and `x-` blocks included. The values themselves are what a container gets.
 */
export function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unescapeDollars(inner)]));
  return value;
}

/** The project's canonical model as JSON; `resolvePaths: false` keeps bind sources as written. */
export async function composeConfig(options: ComposeOptions, resolvePaths: boolean): Promise<unknown> {
  const args = ['compose', ...composeArgs(options), 'config', '--format', 'json', ...(resolvePaths ? [] : ['--no-path-resolution'])];
  const result = await execa('docker', args, { reject: false });
  if (result.exitCode !== 0) throw new ComposeConfigError(composeMessage(String(result.stderr ?? '')));
  try {
    return unescapeDollars(JSON.parse(String(result.stdout)));
  } catch {
    throw new ComposeConfigError('its output is not JSON');
  }
}
