// Every service the harness knows, one line each: the folders under src/services/, each with
// its profile (what it is, its images, where it keeps its data, what the drills and the check can
// do with it) and, for a database, its driver. Every other list (image settings, stand-in builds,
// upgrade pairs, backup procedure targets, the version names reports shorten) is derived from
// this one, and a test proves they cannot drift.
import { bench } from './bench/profile.ts';
import { flask, flaskWatchdog, node } from './devloop/profile.ts';
import { mysql } from './mysql/profile.ts';
import { nginx } from './nginx/profile.ts';
import { postgres } from './postgres/profile.ts';
import { rabbitmq } from './rabbitmq/profile.ts';
import { type ServiceProfile, type StandInBuild, type StorageProfile, standIn, type UpgradeProfile } from './profile.ts';
import { redis } from './redis/profile.ts';
import { toolbox } from './toolbox/profile.ts';
import { wordpress } from './wordpress/profile.ts';

export { SUITES, type Suite, type StandInBuild, type StorageProfile, type ServiceProfile } from './profile.ts';

/** By the name users override an image with: PERSIST_IMAGE_<NAME>. */
export const SERVICES = {
  postgres,
  mysql,
  redis,
  rabbitmq,
  wordpress,
  nginx,
  toolbox,
  node,
  flask,
  flask_watchdog: flaskWatchdog,
  bench,
} as const satisfies Record<string, ServiceProfile>;

export type ServiceName = keyof typeof SERVICES;

/** Where the named service keeps its data (empty for a name the registry does not know). */
export function storageProfile(name: string | undefined): StorageProfile {
  return name !== undefined && name in SERVICES ? SERVICES[name as ServiceName].storage : {};
}
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** The profile of a service by the name a report records (an audit's recognisedAs); undefined for any other name. */
export function profileOf(name: string | undefined): ServiceProfile | undefined {
  const known = SERVICE_NAMES.find((candidate) => candidate === name);
  return known ? SERVICES[known] : undefined;
}

/** Services with a driver module: the dataset is written and read through their server. */
export type DatabaseServiceName = { [K in ServiceName]: (typeof SERVICES)[K]['capabilities'] extends { database: true } ? K : never }[ServiceName];

/** The backup drills' subjects, by the name a procedure file gives as its target. */
export type BackupSubjectName = {
  [K in ServiceName]: (typeof SERVICES)[K]['capabilities'] extends { backupSubject: infer S extends string } ? S : never;
}[ServiceName];

/**
 * The upgrade drills' pairs: Debian 12's versions to Debian 13's for the stand-ins.
 * 'moved-data-path' is the re-initialisation case: a newer image that keeps its data somewhere
 * else than where the old volume is mounted (as postgres 18 moved PGDATA).
 */
export const UPGRADES = {
  postgres: {
    official: ['postgres:15', 'postgres:17'],
    local: [SERVICES.postgres.standIn, standIn('persistence-harness/postgres:17', 'postgres', 'trixie', { PG_MAJOR: '17' })],
  },
  mysql: { official: ['mysql:8.0', 'mysql:8.4'], local: [SERVICES.mysql.standIn, standIn('persistence-harness/mysql:11.8', 'mysql', 'trixie')] },
  wordpress: {
    official: ['wordpress:6.1', 'wordpress:6.8'],
    local: [SERVICES.wordpress.standIn, standIn('persistence-harness/wordpress:6.8', 'wordpress', 'trixie', { DEFAULT_THEME: 'twentytwentyfive' })],
  },
  // PostgreSQL 17 laid out as postgres 18 is: data in /var/lib/postgresql/17/docker, the volume one level up.
  'moved-data-path': {
    official: ['postgres:17', 'postgres:18'],
    local: [
      'persistence-harness/postgres:17',
      standIn('persistence-harness/postgres:17-moved-pgdata', 'postgres', 'trixie', {
        PG_MAJOR: '17',
        PGDATA_PATH: '/var/lib/postgresql/17/docker',
        VOLUME_PATH: '/var/lib/postgresql',
      }),
    ],
  },
} as const satisfies Record<string, UpgradeProfile>;

export type UpgradePairName = keyof typeof UPGRADES;
export const UPGRADE_PAIRS = Object.keys(UPGRADES) as UpgradePairName[];

function referenceOf(image: StandInBuild | string): string {
  return typeof image === 'string' ? image : image.reference;
}

export function localUpgrade(name: UpgradePairName): [string, string] {
  const [from, to] = UPGRADES[name].local;
  return [referenceOf(from), referenceOf(to)];
}

/**
 * Every stand-in to build, each once, in order: the services' own first (Debian 12), then the
 * upgrade targets, each after the image whose layers it shares.
 */
/**
 * Variants that carry a backup tool the official image does not ship, as a team's own image
 * would: the tests restore that tool's backups through a user's own restore command.
 */
export const BACKUP_TOOL_STAND_INS = {
  pgbackrest: standIn('persistence-harness/postgres:15-pgbackrest', 'postgres', 'bookworm', { EXTRA_PACKAGES: 'pgbackrest' }),
} as const;

export function standInBuilds(): StandInBuild[] {
  const builds = [
    ...SERVICE_NAMES.map((name): StandInBuild => SERVICES[name].standIn),
    ...Object.values(BACKUP_TOOL_STAND_INS),
    ...UPGRADE_PAIRS.flatMap((name) =>
      (UPGRADES[name].local as readonly (StandInBuild | string)[]).filter((image): image is StandInBuild => typeof image !== 'string'),
    ),
  ];
  return builds.filter((build, index) => builds.findIndex((other) => other.reference === build.reference) === index);
}

/** A backup drills' subject and the service whose folder supplies it: its database (through its driver) or its files. */
export interface BackupSubjectOwner {
  subject: BackupSubjectName;
  service: ServiceName;
  /** The subject is the service's database, so a restore can also go through the server; files only restore into a volume. */
  database: boolean;
}

type Capabilities = ServiceProfile['capabilities'];

/** Each service whose profile has a capability, with that capability's value, in the registry's order. */
export function servicesWith<K extends keyof Capabilities>(capability: K): Array<{ service: ServiceName; value: NonNullable<Capabilities[K]> }> {
  return SERVICE_NAMES.flatMap((service) => {
    const value = (SERVICES[service].capabilities as Capabilities)[capability];
    return value === undefined ? [] : [{ service, value: value as NonNullable<Capabilities[K]> }];
  });
}

export function backupSubjectOwners(): BackupSubjectOwner[] {
  return servicesWith('backupSubject').map(({ service, value }) => ({
    subject: value as BackupSubjectName,
    service,
    database: (SERVICES[service].capabilities as Capabilities).database === true,
  }));
}

/** The backup drills' subjects, which a user's procedure file names as its target. */
export function backupSubjects(): BackupSubjectName[] {
  return backupSubjectOwners().map((owner) => owner.subject);
}

export function databaseServices(): DatabaseServiceName[] {
  return SERVICE_NAMES.filter((name): name is DatabaseServiceName => (SERVICES[name].capabilities as ServiceProfile['capabilities']).database === true);
}

/** The database services the crash scenario kills under load and stops every way. */
export function crashDrillServices(): DatabaseServiceName[] {
  return databaseServices().filter((name) => (SERVICES[name].capabilities as ServiceProfile['capabilities']).crashDrills === true);
}
