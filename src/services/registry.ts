// Every service the harness knows, in one place: its official image, the stand-in built for
// machines without a registry, the upgrade pairs it takes part in, and what it can do. Every
// other list (image settings, stand-in builds, upgrade pairs, backup procedure targets, the
// version names reports shorten) is derived from this one, and a test proves they cannot
// drift. Pure data, so the CLI loads it at once; each database's driver is one module in
// src/targets/, looked up by name in src/targets/drivers.ts.

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
  /** What the report shortens server versions to ("PostgreSQL 15.14"). */
  versionName?: string;
  official: string;
  standIn: StandInBuild;
  storage: StorageProfile;
  /** The data drills' capabilities; the driver module supplies the how. */
  capabilities: {
    /** A database driver in src/targets/ (matrix, crash and backup drills). */
    database?: true;
    /** Backed up and restored by the backup drills, under this procedure target name. */
    backupSubject?: string;
  };
}

const standIn = (reference: string, folder: string, suite: Suite, buildArgs: Record<string, string> = {}): StandInBuild => ({
  reference,
  folder,
  suite,
  buildArgs,
});

/** By the name users override an image with: PERSIST_IMAGE_<NAME>. */
export const SERVICES = {
  postgres: {
    displayName: 'PostgreSQL',
    versionName: 'PostgreSQL',
    official: 'postgres:17',
    standIn: standIn('persistence-harness/postgres:15', 'postgres', 'bookworm', { PG_MAJOR: '15' }),
    // postgres 18 sets PGDATA=/var/lib/postgresql/18/docker in the image and declares VOLUME /var/lib/postgresql.
    storage: {
      dataDir: '/var/lib/postgresql/data',
      dataDirEnv: 'PGDATA',
      formerDataDirs: ['/var/lib/postgresql/data'],
      formerLayoutUntil: '17',
      readyCommand: ['pg_isready', '-q'],
    },
    capabilities: { database: true, backupSubject: 'postgres' },
  },
  mysql: {
    displayName: 'MySQL',
    versionName: 'MySQL|MariaDB',
    official: 'mysql:8.4',
    standIn: standIn('persistence-harness/mysql:10.11', 'mysql', 'bookworm'),
    // The admin ping exits 0 whenever the server answers, even "access denied". The official
    // mariadb images from 11.0 ship only mariadb-admin; mysql's ship only mysqladmin.
    storage: {
      alsoKnownAs: ['mariadb'],
      dataDir: '/var/lib/mysql',
      dataDirFlag: '--datadir',
      readyCommand: ['sh', '-c', 'mariadb-admin ping --silent 2>/dev/null || mysqladmin ping --silent'],
    },
    capabilities: { database: true, backupSubject: 'mysql' },
  },
  redis: {
    displayName: 'Redis',
    versionName: 'Redis',
    official: 'redis:7',
    standIn: standIn('persistence-harness/redis:7.0', 'redis', 'bookworm'),
    storage: { dataDir: 'workdir', dataDirFlag: '--dir', cacheUnless: ['--appendonly', '--save'], readyCommand: ['redis-cli', 'ping'] },
    capabilities: { database: true },
  },
  wordpress: {
    displayName: 'WordPress',
    versionName: 'WordPress',
    official: 'wordpress:6',
    standIn: standIn('persistence-harness/wordpress:6.1', 'wordpress', 'bookworm', { DEFAULT_THEME: 'twentytwentythree' }),
    // The entrypoint copies WordPress into /var/www/html only when it finds no WordPress there, and
    // writes wp-config.php from the WORDPRESS_* settings when it is absent: core and configuration
    // come back on every new container. The site's own files (uploads, plugins, themes) are in
    // wp-content, the rest in the database.
    storage: {
      dataDir: '/var/www/html/wp-content',
      shippedContent: ['/var/www/html'],
      readyCommand: ['test', '-e', '/var/www/html/wp-includes/version.php'],
    },
    capabilities: { backupSubject: 'wordpress-files' },
  },
  nginx: {
    displayName: 'nginx',
    official: 'nginx:1.27',
    standIn: standIn('persistence-harness/nginx:1.22', 'nginx', 'bookworm'),
    // Serves what it is given: no data of its own. Docker copies the default page into an empty volume once.
    storage: { shippedContent: ['/usr/share/nginx/html'] },
    capabilities: {},
  },
  toolbox: {
    displayName: 'toolbox (helper shell)',
    official: 'alpine:3.20',
    standIn: standIn('persistence-harness/toolbox:bookworm', 'toolbox', 'bookworm'),
    storage: {},
    capabilities: {},
  },
  // The seed's development-loop apps: images a developer builds from the seed's files (their
  // Dockerfiles on node:22-alpine and python:3.12-slim), built here from the same files on
  // Debian, the same image in both image sets.
  node: {
    displayName: "Node live-reload app (the seed's server.js under nodemon)",
    builtHere: true,
    official: 'persistence-harness/devloop-node:bookworm',
    standIn: standIn('persistence-harness/devloop-node:bookworm', 'devloop-node', 'bookworm'),
    storage: { dataDir: '/app' },
    capabilities: {},
  },
  flask: {
    displayName: "Flask app (the seed's app.py, debug=True; Werkzeug's stat reloader)",
    builtHere: true,
    official: 'persistence-harness/devloop-flask:bookworm',
    standIn: standIn('persistence-harness/devloop-flask:bookworm', 'devloop-flask', 'bookworm'),
    storage: { dataDir: '/app' },
    capabilities: {},
  },
  flask_watchdog: {
    displayName: "Flask app with watchdog installed (Werkzeug's event reloader)",
    builtHere: true,
    official: 'persistence-harness/devloop-flask:bookworm-watchdog',
    standIn: standIn('persistence-harness/devloop-flask:bookworm-watchdog', 'devloop-flask', 'bookworm', { RELOADER_PACKAGES: 'python3-watchdog' }),
    storage: { dataDir: '/app' },
    capabilities: {},
  },
  bench: {
    displayName: 'bench (fio and sysbench)',
    builtHere: true,
    official: 'persistence-harness/bench:bookworm',
    standIn: standIn('persistence-harness/bench:bookworm', 'bench', 'bookworm'),
    storage: {},
    capabilities: {},
  },
} as const satisfies Record<string, ServiceProfile>;

export type ServiceName = keyof typeof SERVICES;

/** Where the named service keeps its data (empty for a name the registry does not know). */
export function storageProfile(name: string | undefined): StorageProfile {
  return name !== undefined && name in SERVICES ? SERVICES[name as ServiceName].storage : {};
}
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** Services with a database driver module. */
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
export function standInBuilds(): StandInBuild[] {
  const builds = [
    ...SERVICE_NAMES.map((name): StandInBuild => SERVICES[name].standIn),
    ...UPGRADE_PAIRS.flatMap((name) =>
      (UPGRADES[name].local as readonly (StandInBuild | string)[]).filter((image): image is StandInBuild => typeof image !== 'string'),
    ),
  ];
  return builds.filter((build, index) => builds.findIndex((other) => other.reference === build.reference) === index);
}

/** The backup drills' subjects, which a user's procedure file names as its target. */
export function backupSubjects(): BackupSubjectName[] {
  return SERVICE_NAMES.flatMap((name) => {
    const capabilities: ServiceProfile['capabilities'] = SERVICES[name].capabilities;
    return capabilities.backupSubject ? [capabilities.backupSubject as BackupSubjectName] : [];
  });
}

export function databaseServices(): DatabaseServiceName[] {
  return SERVICE_NAMES.filter((name): name is DatabaseServiceName => (SERVICES[name].capabilities as ServiceProfile['capabilities']).database === true);
}

/** How reports shorten a server's self-description: "PostgreSQL 15.14 on x86_64…" to "PostgreSQL 15.14". */
export function versionPattern(): RegExp {
  const names = SERVICE_NAMES.flatMap((name) => {
    const profile: ServiceProfile = SERVICES[name];
    return profile.versionName ? [profile.versionName] : [];
  });
  return new RegExp(`^(?:${names.join('|')}) \\d[\\d.]*`);
}
