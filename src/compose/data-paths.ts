// Where a Compose service keeps its data: for an image the registry knows, its documented data
// directory as the image and the service configure it (postgres' PGDATA, mysqld's --datadir,
// redis' --dir or working directory); for any other image, every VOLUME it declares; and every
// path the user lists in x-persist. Pure: the image facts and the service's config come in read.
import { SERVICE_NAMES, SERVICES, type ServiceName, type StorageProfile, storageProfile } from '../services/registry.ts';
import { posix } from 'node:path';
import { repositoryOf } from './image-reference.ts';
import { type CatalogueEntry, type CatalogueLayout, catalogueEntry, resolvePath } from './catalogue/catalogue.ts';

/** What the container will run with, from `docker image inspect` and the service's config. */
export interface ServiceRuntime {
  imageVolumes: readonly string[];
  imageEnv: Readonly<Record<string, string>>;
  imageWorkingDir: string;
  imageEntrypoint: readonly string[];
  imageCmd: readonly string[];
  environment: Readonly<Record<string, string | null>>;
  command: readonly string[] | null;
  entrypoint: readonly string[] | null;
  workingDir: string | null;
}

/** Who put the data there: the service's own settings, the image's, the documentation, a VOLUME, or x-persist. */
export type DataPathOrigin = 'service-setting' | 'image-setting' | 'documented' | 'image-volume' | 'x-persist';

export interface DataPath {
  path: string;
  /** Why this is a data path, for the report. */
  why: string;
  origin: DataPathOrigin;
}

/** The registry's service whose official image, stand-in or alias this image is, or that judges an image the catalogue knows (postgis as postgres). */
export function recognise(reference: string): ServiceName | undefined {
  const repository = repositoryOf(reference);
  const own = SERVICE_NAMES.find((name) => {
    const profile = SERVICES[name];
    const storage = storageProfile(name);
    // A helper shell (alpine) knows no data of its own: such an image is judged by its VOLUMEs.
    if (Object.keys(storage).length === 0) return false;
    const names = [repositoryOf(profile.official), repositoryOf(profile.standIn.reference), ...(storage.alsoKnownAs ?? [])];
    return names.includes(repository);
  });
  return own ?? catalogueEntry(reference)?.profile;
}

/** `--flag=VALUE` or `--flag VALUE` in a command line. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    if (arg === flag) return args[index + 1];
  }
  return undefined;
}

/** The command line a container of the service runs: Compose's `command` replaces the image's CMD; its `entrypoint` replaces both. */
export function commandLine(runtime: ServiceRuntime): string[] {
  return runtime.entrypoint ? [...runtime.entrypoint, ...(runtime.command ?? [])] : [...runtime.imageEntrypoint, ...(runtime.command ?? runtime.imageCmd)];
}

/**
 * Whether a server the registry knows as often a cache may be one here: none of its persistence
 * options is turned on in its command (`--appendonly yes`, `--save 60 1`; `--save ""` turns it off).
 */
export function mayBeCache(service: ServiceName | undefined, runtime: ServiceRuntime): boolean {
  const flags = service ? storageProfile(service).cacheUnless : undefined;
  if (!flags) return false;
  const args = commandLine(runtime);
  return !flags.some((flag) => {
    const value = flagValue(args, flag);
    return value !== undefined && !['no', '', '""', "''"].includes(value);
  });
}

function configuredDataDir(storage: StorageProfile, runtime: ServiceRuntime): DataPath | undefined {
  const workingDir = runtime.workingDir ?? runtime.imageWorkingDir;
  if (storage.dataDirEnv) {
    const name = storage.dataDirEnv;
    const fromService = runtime.environment[name];
    if (fromService) return { path: posix.resolve(workingDir, fromService), why: `${name} in the service's environment`, origin: 'service-setting' };
    const fromImage = runtime.imageEnv[name];
    if (fromImage) return { path: posix.resolve(workingDir, fromImage), why: `${name} set by the image`, origin: 'image-setting' };
  }
  if (storage.dataDirFlag) {
    const args = commandLine(runtime);
    const value = flagValue(args, storage.dataDirFlag);
    const origin = runtime.command || runtime.entrypoint ? 'service-setting' : 'image-setting';
    if (value)
      return {
        path: posix.resolve(workingDir, value),
        why: `${storage.dataDirFlag} in the ${origin === 'service-setting' ? "service's" : "image's"} command`,
        origin,
      };
  }
  if (storage.dataDir === 'workdir')
    return { path: workingDir, why: 'the working directory, where the server keeps its data by default', origin: 'documented' };
  if (storage.dataDir) return { path: storage.dataDir, why: 'the documented data directory', origin: 'documented' };
  return undefined;
}

/**
 * Folders that hold nothing meant to outlive the process by definition (the FHS's temporary and
 * run-time folders): an image's VOLUME there (Spring Boot's guides declare VOLUME /tmp for
 * Tomcat's work files) is scratch space, not data.
 */
const SCRATCH = new Set(['/tmp', '/var/tmp', '/run', '/var/run']);

/** The image's VOLUMEs that may hold data: all but scratch folders. */
function dataVolumes(volumes: readonly string[]): string[] {
  return volumes.filter((volume) => !SCRATCH.has(volume.replace(/(.)\/+$/, '$1')));
}

/** An image the catalogue knows, with the layout its version has. */
export interface Catalogued {
  entry: CatalogueEntry;
  layout: CatalogueLayout;
}

/** The catalogue's data paths for this runtime, and any VOLUME the image declares that the catalogue does not list. */
function cataloguedPaths(catalogued: Catalogued & { layout: { dataPaths: NonNullable<CatalogueLayout['dataPaths']> } }, runtime: ServiceRuntime): DataPath[] {
  const { entry, layout } = catalogued;
  const env = { ...runtime.imageEnv, ...runtime.environment };
  const settings = {
    args: commandLine(runtime),
    env,
    argsFromService: runtime.command !== null || runtime.entrypoint !== null,
    envFromService: (name: string) => Boolean(runtime.environment[name]),
    workingDir: runtime.workingDir ?? runtime.imageWorkingDir,
  };
  const found: DataPath[] = layout.dataPaths.flatMap((path) => resolvePath(entry, path, settings) ?? []);
  for (const volume of dataVolumes(runtime.imageVolumes)) {
    if (!layout.volumes.includes(volume))
      found.push({ path: volume, why: 'a VOLUME the image declares that the catalogue does not list', origin: 'image-volume' });
  }
  return found;
}

export function dataPathsOf(service: ServiceName | undefined, runtime: ServiceRuntime, declared: readonly string[], catalogued?: Catalogued): DataPath[] {
  const found: DataPath[] = [];
  if (service) {
    const known = configuredDataDir(SERVICES[service].storage, runtime);
    if (known) found.push(known);
  } else if (catalogued?.layout.dataPaths) {
    found.push(...cataloguedPaths({ entry: catalogued.entry, layout: { ...catalogued.layout, dataPaths: catalogued.layout.dataPaths } }, runtime));
  } else {
    for (const volume of dataVolumes(runtime.imageVolumes)) {
      found.push({ path: volume, why: 'a VOLUME the image declares (an image the harness does not know)', origin: 'image-volume' });
    }
  }
  for (const path of declared) found.push({ path, why: 'declared in x-persist', origin: 'x-persist' });
  const seen = new Set<string>();
  return found.filter((entry) => {
    const key = entry.path.replace(/\/+$/, '') || '/';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
