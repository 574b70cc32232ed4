// What a service is, as its folder under src/services/ declares it: names, images, where it keeps
// its data and how that moves, what the drills can do with it, and how the check logs in. Pure
// data and pure functions, so the CLI loads every profile at once; the driver, which needs the
// database's client library, is loaded only where it is used.
import type { Login } from '../stack/database-target.ts';
import type { CatalogueEntry } from './catalogue-entry.ts';

/** The Debian releases the stand-ins are built on: each has images/base/<suite>.conf. */
export const SUITES = ['bookworm', 'trixie'] as const;
export type Suite = (typeof SUITES)[number];

/** A stand-in image: built from images/<folder>/Dockerfile on a Debian base. */
export interface StandInBuild {
  reference: string;
  folder: string;
  suite: Suite;
  /** Passed as --build-arg; part of the content hash. */
  buildArgs: Record<string, string>;
}

/** An upgrade drill's image pair: data written on `from`, then `to` started on the same volume. */
export interface UpgradeProfile {
  official: [string, string];
  /** Stand-ins; a reference given as a string is built by another entry. */
  local: [StandInBuild | string, StandInBuild | string];
}

/**
 * Where a container of this image keeps its data, as its documentation says and its Compose
 * configuration can change it: what `persist audit` reads a user's service by.
 */
export interface StorageProfile {
  /** Repository names of the same server besides the official and stand-in ones (mariadb for mysql). */
  alsoKnownAs?: readonly string[];
  /** The data directory when nothing configures it; 'workdir' is the container's working directory. */
  dataDir?: string;
  /** The environment variable that moves it (postgres: PGDATA). */
  dataDirEnv?: string;
  /** The server option that moves it, as `--flag=PATH` or `--flag PATH` in the command (mysqld: --datadir). */
  dataDirFlag?: string;
  /** Data directories of earlier versions' layout: a mount still there while the data moved is a finding. */
  formerDataDirs?: readonly string[];
  /** The last major version that kept its data in formerDataDirs: the pin for a volume that holds such data. */
  formerLayoutUntil?: string;
  /**
   * A server often run as a cache: unless one of these options turns its persistence on in the
   * service's command, losing its data may be intended, and the audit says both readings.
   */
  cacheUnless?: readonly string[];
  /**
   * The data is kept in a folder named after the container's host name (RabbitMQ's node,
   * rabbit@<host name>): a new container with another host name starts empty on the same storage.
   * Pinned by the service's `hostname:`, or by nodeNameEnv naming the node with its host.
   */
  dataUnderHostname?: { folder: string; nodeNameEnv: string };
  /** Where the image ships content that reaches a volume only when the volume is empty. */
  shippedContent?: readonly string[];
  /**
   * A command run in the container that succeeds once the service has made its data directory:
   * nothing may be written there before (an initialisation refuses a data directory that is not empty).
   */
  readyCommand?: readonly string[];
}

export interface ServiceProfile {
  displayName: string;
  /**
   * A harness tool no official image carries (the benchmark tools): the image built here is used
   * with both image sets, and `official` names that same image.
   */
  builtHere?: true;
  /** What a tag pins to keep the data's format: the major version (the default), or major.minor where releases come in such series (MySQL 8.4, MariaDB 11.4). */
  pinSeries?: 'major' | 'minor';
  official: string;
  standIn: StandInBuild;
  storage: StorageProfile;
  /**
   * Where the official image, and images built FROM it, keep their data, as their builds say
   * (read at a pinned commit): the audit's facts for such an image it cannot read.
   */
  catalogue?: readonly CatalogueEntry[];
  /** The data drills' capabilities; the service's driver module supplies the how. */
  capabilities: {
    /**
     * It has a driver: driver.ts in its folder, exporting `driver` (a DatabaseTarget): how to start
     * it, know it is ready, log in, and write and read the dataset. src/services/drivers.ts loads
     * it only where a drill or the check needs it, so the audit never loads a client library.
     */
    database?: true;
    /** Killed under write load and stopped every way by the crash scenario. */
    crashDrills?: true;
    /** Backed up and restored by the backup drills, under this procedure target name. */
    backupSubject?: string;
    /**
     * How `persist check` logs in to a user's service of this image: the credentials their own
     * settings give it, read as the image reads them; a reason where they give the check no way in.
     */
    login?: (env: ServiceEnvironment, command: readonly string[] | null) => LoginOutcome;
    /**
     * A web site kept in two services, its files in this one and its rows in a database service
     * its settings name: `persist check` proves it through its pages (published on httpPort),
     * reading the rows with the login those settings give, as the image reads them.
     */
    site?: { httpPort: number; database: (env: ServiceEnvironment, projectServices: readonly string[]) => SiteDatabase };
    /** The seed's tuning advice for this server, which the performance scenario measures with and without. */
    tuning?: SeedTuning;
    /** Backup files of this server `persist verify` restores: its folder's artifacts.ts says which formats and how. */
    artifacts?: true;
  };
}

/** A tuning the seed advises, as data: how the container is started with the advice taken. */
export interface SeedTuning {
  /** The report's id of the comparison, e.g. "postgres-shm-tmpfs". */
  id: string;
  title: string;
  /** The flags, and the default without them. */
  settings: string;
  /** The seed's own words, which the measured finding answers. */
  claim: string;
  container: { sharedMemoryBytes?: number; tmpfs?: Record<string, string>; serverArgs?: string[] };
}

/** A service's environment as Compose resolved it (a variable without a value is null). */
export type ServiceEnvironment = Readonly<Record<string, string | null | undefined>>;

/** A site's database: the project's service that holds its rows and the site's own login to it; or why the settings give none. */
export type SiteDatabase = { service: string; login: { user: string; password: string; database: string } } | { reason: string };

export type LoginOutcome = { login: Login } | { reason: string };

/** The first of these variables that has a value. */
export function firstSet(env: ServiceEnvironment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** Whether the first of these variables that has a value says yes. */
export function saysYes(env: ServiceEnvironment, ...names: string[]): boolean {
  const value = firstSet(env, ...names);
  return value !== undefined && !['0', 'false', 'no'].includes(value.toLowerCase());
}

/** The database the check writes to when the service names none: its own, beside the user's. */
export const CHECK_DATABASE = 'persist_check';

/** A stand-in built from images/<folder>/Dockerfile on a Debian base. */
export function standIn(reference: string, folder: string, suite: Suite, buildArgs: Record<string, string> = {}): StandInBuild {
  return { reference, folder, suite, buildArgs };
}
