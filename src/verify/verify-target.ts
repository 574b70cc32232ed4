// Which server a backup is restored into, and what it must hold: the user's Compose service as
// configured (its image, environment and command; its x-persist `verify` expectations), or an
// image named with --image and its --env, or, with neither, the registry's image of the service
// the artifact belongs to. An --expect file takes the place of x-persist's expectations.
import { dirname, resolve } from 'node:path';
import { type ComposeOptions, composeConfig } from '../compose/compose-cli.ts';
import { recognise } from '../compose/data-paths.ts';
import { type ComposeProject, readProject } from '../compose/project.ts';
import { inspectImage } from '../docker/engine.ts';
import { type FetchChoice, fetchImages } from '../compose/fetch-images.ts';
import { progress } from '../progress.ts';
import type { AppServiceSetup } from './app-on-restore.ts';
import { parseXPersist } from '../compose/x-persist.ts';
import { UsageError } from '../errors.ts';
import { profileOf } from '../services/registry.ts';
import { readExpectFile, type VerifySettings } from './expectations.ts';
import type { VerifyTarget } from './run-verify.ts';

export interface TargetOptions {
  compose?: ComposeOptions & { service?: string };
  image?: string;
  /** KEY=VALUE, as `docker run -e` takes them. */
  env: string[];
  expect?: string;
  /** Where the service keeps its data, for a volume's tar (--data-path). */
  dataPath?: string;
  imageSet: 'official' | 'local';
  /** `--app`: the project's services to start on the restored data (x-persist's `verify.app` where not given). */
  app?: string[];
  /** --pull / --build: what may fetch an app service's image that is not on this machine. */
  fetch?: FetchChoice;
}

/** KEY=VALUE pairs; a malformed one is one sentence. */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--env ${pair.split('=')[0]} has no value.`, 'Give --env as KEY=VALUE.');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

type ProjectTarget = Pick<VerifyTarget, 'service' | 'setup' | 'settings' | 'recognisedAs' | 'dataPath' | 'directory' | 'app'>;

/**
 * The named services as the project configures them, to start on the restored data. An image not
 * on this machine is built or pulled where --build or --pull says so, else one sentence.
 */
async function appServices(
  project: ComposeProject,
  names: readonly string[],
  database: string,
  compose: ComposeOptions,
  fetch: FetchChoice,
): Promise<AppServiceSetup[]> {
  const all = project.services.map((s) => s.name);
  const setups: AppServiceSetup[] = [];
  for (const name of names) {
    const found = project.services.find((s) => s.name === name);
    if (!found) throw new UsageError(`--app names ${name}, and the project has no such service.`, `Name one of: ${all.join(', ')}.`);
    if (name === database) throw new UsageError(`--app names ${name}, the service the backup is of.`, 'Name the services that use its data.');
    if (!(await inspectImage(found.image))) {
      const verb = found.builds ? 'build' : 'pull';
      if (!fetch[verb])
        throw new UsageError(
          `The image ${found.image} of ${name} is not on this machine, and verify neither builds nor pulls a project's images unless told.`,
          `Run \`docker compose ${verb} ${name}\` in the project first, or add --${verb}.`,
        );
      await fetchImages(compose, [{ service: name, image: found.image, verb, command: `docker compose ${verb} ${name}` }], fetch, progress);
    }
    const model = project.model.services?.[name] ?? {};
    setups.push({
      name,
      image: found.image,
      environment: Object.fromEntries(Object.entries(found.environment).filter((entry): entry is [string, string] => entry[1] !== null)),
      command: found.command,
      entrypoint: found.entrypoint,
      workingDir: found.workingDir,
      user: model.user ?? null,
      ...(model.healthcheck ? { healthcheck: model.healthcheck } : {}),
      ports: (model.ports ?? []).filter((port) => (port.protocol ?? 'tcp') === 'tcp').map((port) => port.target),
      volumeTargets: found.mounts.filter((mount) => mount.kind === 'named-volume' || mount.kind === 'anonymous-volume').map((mount) => mount.target),
    });
  }
  return setups;
}

async function fromCompose(
  compose: ComposeOptions & { service?: string },
  service: string | undefined,
  app: string[] | undefined,
  fetch: FetchChoice,
): Promise<ProjectTarget> {
  const resolved = await composeConfig(compose, true);
  const project = readProject(resolved, await composeConfig(compose, false));
  const names = project.services.map((s) => s.name);
  if (!compose.service)
    throw new UsageError('-f reads a Compose project, and --service must name the service the backup is of.', `Add --service (one of: ${names.join(', ')}).`);
  const found = project.services.find((s) => s.name === compose.service);
  if (!found) throw new UsageError(`The project has no service ${compose.service}.`, `Name one of: ${names.join(', ')}.`);
  const recognisedAs = recognise(found.image);
  if (service !== undefined && recognisedAs !== undefined && recognisedAs !== service)
    throw new UsageError(
      `The backup is one of ${profileOf(service)?.displayName ?? service}, and ${found.name} runs ${found.image} (${profileOf(recognisedAs)?.displayName ?? recognisedAs}).`,
      'Name the service the backup was taken from.',
    );
  const environment = Object.fromEntries(Object.entries(found.environment).filter((entry): entry is [string, string] => entry[1] !== null));
  const settings = parseXPersist(project.xPersist, names).services?.[found.name]?.verify ?? {};
  // The service's one mount is where a volume's tar of it goes back.
  const mounts = found.mounts.filter((mount) => mount.kind !== 'tmpfs');
  return {
    service: found.name,
    app: await appServices(project, app ?? settings.app ?? [], found.name, compose, fetch),
    setup: { image: found.image, environment, command: found.command },
    settings,
    recognisedAs: recognisedAs ?? service,
    dataPath: mounts.length === 1 ? mounts[0]!.target : undefined,
    directory: compose.projectDirectory ?? dirname(resolve(compose.files[0]!)),
  };
}

/** The image persist extracts volumes with: the toolbox, or its stand-in. */
function helperImage(imageSet: TargetOptions['imageSet']): VerifyTarget['helperImage'] {
  const toolbox = profileOf('toolbox')!;
  return imageSet === 'local' ? { reference: toolbox.standIn.reference, standIn: true } : { reference: toolbox.official, standIn: false };
}

/** The target for an artifact of `service` (the registry's name of what it is a backup of; undefined for a volume's tar). */
export async function verifyTarget(options: TargetOptions, service: string | undefined): Promise<VerifyTarget> {
  const expectFile: VerifySettings | undefined = options.expect === undefined ? undefined : await readExpectFile(options.expect);
  const environment = parseEnvPairs(options.env);
  const helper = helperImage(options.imageSet);
  if (options.compose && options.compose.files.length > 0) {
    const target = await fromCompose(options.compose, service, options.app, options.fetch ?? {});
    return {
      ...target,
      helperImage: helper,
      setup: { ...target.setup, environment: { ...target.setup.environment, ...environment } },
      settings: expectFile ?? target.settings,
      standIn: false,
      dataPath: options.dataPath ?? target.dataPath,
    };
  }
  if (options.app !== undefined)
    throw new UsageError('--app names services of a Compose project.', 'Give the project with -f and the database service with --service.');
  if (service === undefined && options.image === undefined)
    throw new UsageError("A volume's tar can hold any service's data.", 'Name the service with -f and --service, or the image to start on it with --image.');
  const profile = profileOf(service);
  const image = options.image ?? (options.imageSet === 'local' ? profile?.standIn.reference : profile?.official);
  if (image === undefined) throw new UsageError(`persist has no image for ${service}.`, 'Name one with --image.');
  return {
    service: null,
    setup: { image, environment, command: null },
    settings: expectFile ?? {},
    standIn: options.image === undefined && options.imageSet === 'local',
    recognisedAs: recognise(image) ?? service,
    dataPath: options.dataPath,
    helperImage: helper,
    directory: process.cwd(),
    app: [],
  };
}
