// The one Docker API client, and the checks that tell a user what is wrong with their engine.
import Docker from 'dockerode';
import { EngineUnreachableError, ImageUnavailableError } from '../errors.ts';
import { withTimeout } from '../timing/clock.ts';

let client: Docker | undefined;

/** dockerode reads DOCKER_HOST itself, as the docker CLI and testcontainers do. */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export interface EngineFacts {
  version: string;
  apiVersion: string;
  storageDriver: string;
  operatingSystem: string;
}

const ENGINE_CHECK_TIMEOUT_MS = 5_000;

/** The API version the engine speaks, or undefined where none answers in time (an audit on paper goes on without it). */
export async function engineApiVersion(): Promise<string | undefined> {
  return withTimeout(docker().version(), ENGINE_CHECK_TIMEOUT_MS, 'no answer within 5 s').then(
    (version) => version.ApiVersion,
    () => undefined,
  );
}

export async function checkEngine(): Promise<EngineFacts> {
  try {
    const [version, info] = await withTimeout(
      Promise.all([docker().version(), docker().info() as Promise<Record<string, unknown>>]),
      ENGINE_CHECK_TIMEOUT_MS,
      'no answer within 5 s',
    );
    return {
      version: version.Version,
      apiVersion: version.ApiVersion,
      storageDriver: String(info.Driver ?? 'unknown'),
      operatingSystem: String(info.OperatingSystem ?? 'unknown'),
    };
  } catch (error) {
    throw new EngineUnreachableError(shortReason(error), { cause: error });
  }
}

export interface ImageFacts {
  reference: string;
  id: string;
  created: string;
  labels: Record<string, string>;
  /** What a container of this image runs by default: its ENTRYPOINT followed by its CMD. */
  defaultCommand: string[];
  /** The paths the image declares as VOLUME: where its documentation says the data lives. */
  volumes: string[];
  /** The image's ENV, by name (may hold secrets: read, never printed). */
  env: Record<string, string>;
  /** The image's WORKDIR ('/' when it sets none). */
  workingDir: string;
  entrypoint: string[];
  cmd: string[];
  /** The image's USER (a name or uid, with a group after a colon), as Docker keeps it: '' runs as root. */
  user: string;
}

/** An image nothing is known of: no VOLUME, no ENV, no WORKDIR, no command. */
export function emptyImageFacts(reference = ''): ImageFacts {
  return { reference, id: '', created: '', labels: {}, defaultCommand: [], volumes: [], env: {}, workingDir: '/', entrypoint: [], cmd: [], user: '' };
}

export async function inspectImage(reference: string): Promise<ImageFacts | undefined> {
  try {
    const info = await docker().getImage(reference).inspect();
    const entrypoint = info.Config?.Entrypoint ?? [];
    const defaultCommand = [...(typeof entrypoint === 'string' ? [entrypoint] : entrypoint), ...(info.Config?.Cmd ?? [])];
    const volumes = Object.keys(info.Config?.Volumes ?? {}).sort();
    const env = Object.fromEntries((info.Config?.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    return {
      reference,
      id: info.Id,
      created: info.Created,
      labels: info.Config?.Labels ?? {},
      defaultCommand,
      volumes,
      env,
      workingDir: info.Config?.WorkingDir || '/',
      entrypoint: typeof entrypoint === 'string' ? [entrypoint] : entrypoint,
      cmd: info.Config?.Cmd ?? [],
      user: info.Config?.User ?? '',
    };
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

const PULL_TIMEOUT_MS = 300_000;

/** Present locally, or pulled now; otherwise one clear error. */
export async function ensureImage(reference: string, isStandIn: boolean): Promise<ImageFacts> {
  const present = await inspectImage(reference);
  if (present) return present;
  if (!isStandIn) {
    try {
      await withTimeout(pullImage(reference), PULL_TIMEOUT_MS, 'pull timed out');
      const pulled = await inspectImage(reference);
      if (pulled) return pulled;
    } catch (error) {
      throw new ImageUnavailableError(reference, false, { cause: error });
    }
  }
  throw new ImageUnavailableError(reference, isStandIn);
}

async function pullImage(reference: string): Promise<void> {
  const stream = await docker().pull(reference);
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

export function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
