// Looks an image up in the catalogue and picks the layout its version has: the facts the audit
// uses where it cannot read the image, and beside the image where it can. Pure.
import { posix } from 'node:path';
import { repositoryOf } from '../image-reference.ts';
import type { CatalogueEntry, CatalogueLayout, CataloguedPath } from './entry.ts';
import { CATALOGUE } from './entries.ts';

export type { CatalogueEntry, CatalogueLayout } from './entry.ts';

/** The entry for an image reference, if the catalogue knows its repository (or its family, `owner/*`). */
export function catalogueEntry(reference: string, catalogue: readonly CatalogueEntry[] = CATALOGUE): CatalogueEntry | undefined {
  const repository = repositoryOf(reference);
  return catalogue.find((entry) => entry.repositories.some((name) => (name.endsWith('/*') ? repository.startsWith(name.slice(0, -1)) : name === repository)));
}

/** The major version a version string or tag starts with (`17`, `17.2`, `17-alpine`, `1:11.4`), if any. */
export function majorOf(version: string | undefined): number | undefined {
  const match = /^(?:\d+:)?v?(\d+)(?:[.\-_]|$)/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether a version is at most a layout's `until` (`1`: any 1.x; `8.0`: any 8.0.x). A tag that
 * stops short of it floats to the newest of its series (`8` is the newest 8.x), so it is not.
 */
export function atMost(version: string, until: string): boolean | undefined {
  const match = /^(?:\d+:)?v?(\d+(?:\.\d+)*)/.exec(version);
  if (!match) return undefined;
  const have = match[1]!.split('.').map(Number);
  const limit = until.split('.').map(Number);
  for (const [index, bound] of limit.entries()) {
    const part = have[index];
    if (part === undefined) return false;
    if (part !== bound) return part < bound;
  }
  return true;
}

/** The layout for a version (major, or major.minor where a layout says); the current one when the version is not known (what a pull brings today). */
export function layoutFor(entry: CatalogueEntry, version: string | undefined): CatalogueLayout {
  const current = entry.layouts[entry.layouts.length - 1] as CatalogueLayout;
  if (version === undefined || majorOf(version) === undefined) return current;
  return entry.layouts.find((layout) => layout.until !== undefined && atMost(version, layout.until) === true) ?? current;
}

/** "docker-library/postgres 18/bookworm at 6edb0a8": where an entry's facts were read. */
export function describeSource(entry: CatalogueEntry): string {
  const match = /github\.com\/([^/]+\/[^/]+)\/(?:blob|tree)\/[0-9a-f]+\/(.+)$/.exec(entry.source.url);
  return match ? `${match[1]} ${match[2]} at ${entry.source.commit.slice(0, 7)}` : `${entry.source.url} at ${entry.source.commit.slice(0, 7)}`;
}

/** The command line and environment a catalogued path's settings are read from. */
export interface PathSettings {
  args: readonly string[];
  /** The service's environment over the image's. */
  env: Readonly<Record<string, string | null>>;
  /** Whether the args are the service's own (command or entrypoint set in Compose). */
  argsFromService: boolean;
  envFromService: (name: string) => boolean;
  workingDir: string;
}

export interface ResolvedPath {
  path: string;
  why: string;
  origin: 'service-setting' | 'image-setting' | 'documented';
}

function flagValue(args: readonly string[], matches: (name: string) => boolean): string | undefined {
  for (const [index, arg] of args.entries()) {
    const equals = arg.indexOf('=');
    if (equals > 0 && matches(arg.slice(0, equals))) return arg.slice(equals + 1);
    if (equals < 0 && matches(arg)) return args[index + 1];
  }
  return undefined;
}

/** Where one catalogued path is for these settings, or undefined where the settings turn it off. */
export function resolvePath(entry: CatalogueEntry, path: CataloguedPath, settings: PathSettings): ResolvedPath | undefined {
  const has = (flag: string) => settings.args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (path.whenFlag && !has(path.whenFlag)) return undefined;
  if (path.unlessFlag && has(path.unlessFlag)) return undefined;
  const fromArgs = settings.argsFromService ? 'service-setting' : 'image-setting';
  const pattern = path.flagPattern ? new RegExp(path.flagPattern) : undefined;
  const flagged = pattern
    ? flagValue(settings.args, (name) => pattern.test(name))
    : path.flag
      ? flagValue(settings.args, (name) => name === path.flag)
      : undefined;
  if (flagged)
    return {
      path: posix.resolve(settings.workingDir, flagged),
      why: `${path.flag ?? 'its storage flag'} in the ${fromArgs === 'service-setting' ? "service's" : "image's"} command`,
      origin: fromArgs,
    };
  const variable = path.env ? settings.env[path.env] : undefined;
  if (path.env && variable)
    return {
      path: posix.resolve(settings.workingDir, variable),
      why: `${path.env} ${settings.envFromService(path.env) ? "in the service's environment" : 'set by the image'}`,
      origin: settings.envFromService(path.env) ? 'service-setting' : 'image-setting',
    };
  if (!path.path) return undefined;
  return { path: path.path, why: `where ${entry.repositories[0]} keeps its data (catalogue: ${describeSource(entry)})`, origin: 'documented' };
}
