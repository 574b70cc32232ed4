// An image's configuration read from its registry without pulling it: the manifest's digest asked
// for with HEAD (Docker Hub counts a manifest GET as a pull, a HEAD not), then the config blob
// through skopeo, which honours the user's `docker login` credentials and credential helpers.
// Configurations are cached by digest and platform: a digest names its content for ever.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ImageFacts } from './engine.ts';

/** Where an image reference lives: its registry host, the repository there, and the tag or digest. */
export interface RegistryReference {
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';

/** Docker's reading of a reference: a first part with a dot, a colon or `localhost` is a registry host, else Docker Hub (`library/` for one-part names). */
export function parseReference(reference: string): RegistryReference {
  const [name = '', digest] = reference.split('@');
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : DOCKER_HUB;
  if (hasHost) parts.shift();
  if (host === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const last = parts.pop() ?? '';
  const colon = last.indexOf(':');
  const repository = [...parts, colon >= 0 ? last.slice(0, colon) : last].join('/');
  const tag = colon >= 0 ? last.slice(colon + 1) : digest ? undefined : 'latest';
  return { host, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Docker trusts plain HTTP to a registry on this machine's loopback without being told (insecure-registries' default). */
export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

/** The API host: Docker Hub answers the registry protocol on registry-1.docker.io. */
function apiBase(host: string): string {
  const api = host === DOCKER_HUB ? 'registry-1.docker.io' : host;
  return `${isLoopback(host) ? 'http' : 'https'}://${api}`;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A Bearer challenge's realm, service and scope, answered with an anonymous token where the registry gives one. */
async function anonymousToken(challenge: string, repository: string, signal: AbortSignal): Promise<string | undefined> {
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
  const realm = field('realm');
  if (!challenge.startsWith('Bearer') || !realm) return undefined;
  const url = new URL(realm);
  const service = field('service');
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', field('scope') ?? `repository:${repository}:pull`);
  const answer = await fetch(url, { signal });
  if (!answer.ok) return undefined;
  const body = (await answer.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/** The manifest digest a tag means now, asked with HEAD; undefined where the registry wants credentials for it. */
export async function headDigest(ref: RegistryReference, timeoutMs: number): Promise<string | undefined> {
  if (ref.digest) return ref.digest;
  const signal = AbortSignal.timeout(timeoutMs);
  const url = `${apiBase(ref.host)}/v2/${ref.repository}/manifests/${ref.tag ?? 'latest'}`;
  const ask = (token?: string) =>
    fetch(url, { method: 'HEAD', signal, headers: { Accept: MANIFEST_TYPES, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  let answer = await ask();
  const challenge = answer.headers.get('www-authenticate');
  if (answer.status === 401 && challenge) {
    const token = await anonymousToken(challenge, ref.repository, signal);
    if (token) answer = await ask(token);
  }
  if (answer.status === 404) throw new RegistryAnswer(`${ref.host} has no ${ref.repository}:${ref.tag ?? 'latest'}`);
  return answer.ok ? (answer.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/** The registry answered, and what it said means the image cannot be read there. */
export class RegistryAnswer extends Error {}

interface ConfigBlob {
  created?: string;
  config?: {
    Env?: string[];
    Volumes?: Record<string, object> | null;
    WorkingDir?: string;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Labels?: Record<string, string> | null;
    User?: string;
  };
}

/** An image configuration blob as the facts `docker image inspect` would give; its ID is the blob's digest, as Docker's is. */
export function factsOfConfig(reference: string, raw: string): ImageFacts {
  const blob = JSON.parse(raw) as ConfigBlob;
  const config = blob.config ?? {};
  const entrypoint = config.Entrypoint ?? [];
  const cmd = config.Cmd ?? [];
  return {
    reference,
    id: `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    created: blob.created ?? '',
    labels: config.Labels ?? {},
    defaultCommand: [...entrypoint, ...cmd],
    volumes: Object.keys(config.Volumes ?? {}).sort(),
    env: Object.fromEntries((config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    workingDir: config.WorkingDir || '/',
    entrypoint,
    cmd,
    user: config.User ?? '',
  };
}

export interface RegistryRead {
  facts: ImageFacts;
  /** `127.0.0.1:5000/team/db@sha256:…`: what was read. */
  from: string;
  cached: boolean;
}

export interface RegistryOptions {
  timeoutMs: number;
  cacheDir: string;
}

export const DEFAULT_REGISTRY_OPTIONS: RegistryOptions = {
  timeoutMs: 10_000,
  cacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'persistence-harness', 'image-configs'),
};

function platformKey(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/**
 * The image's configuration from its registry. Throws RegistryAnswer where the registry says the
 * image is not there or refuses it, and any other error where the registry could not be asked.
 */
export async function readRegistryConfig(reference: string, options: RegistryOptions = DEFAULT_REGISTRY_OPTIONS): Promise<RegistryRead> {
  const ref = parseReference(reference);
  const digest = await headDigest(ref, options.timeoutMs);
  const pinned = `${ref.host}/${ref.repository}${digest ? `@${digest}` : `:${ref.tag}`}`;
  const cacheFile = digest ? join(options.cacheDir, `${digest.replace(':', '-')}-${platformKey()}.json`) : undefined;
  if (cacheFile) {
    const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
    if (cached !== undefined) return { facts: factsOfConfig(reference, cached), from: pinned, cached: true };
  }
  const args = ['--command-timeout', `${Math.ceil(options.timeoutMs / 1000)}s`, 'inspect', '--config', '--raw', '--retry-times', '0'];
  if (isLoopback(ref.host)) args.push('--tls-verify=false');
  const result = await execa('skopeo', [...args, `docker://${pinned}`], { reject: false });
  if (result.exitCode === undefined) throw new Error('skopeo, which reads a registry, is not installed (Debian: apt-get install skopeo)');
  if (result.exitCode !== 0) throw new RegistryAnswer(lastLine(result.stderr) || `skopeo exited with code ${result.exitCode}`);
  if (cacheFile) {
    await mkdir(options.cacheDir, { recursive: true });
    // Written aside and renamed: two audits at once never read half a file.
    const partial = `${cacheFile}.${process.pid}.partial`;
    await writeFile(partial, result.stdout);
    await rename(partial, cacheFile);
  }
  return { facts: factsOfConfig(reference, result.stdout), from: pinned, cached: false };
}

function lastLine(text: string): string {
  return (text.trim().split('\n').pop() ?? '').replace(/^time="[^"]*" level=\w+ msg="?/, '').replace(/"$/, '');
}
