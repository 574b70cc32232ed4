// PostgreSQL: the official image's contract, as src/services/profile.ts describes a service.
import { firstSet, type LoginOutcome, type ServiceEnvironment, type ServiceProfile, standIn } from '../profile.ts';
import { type CatalogueEntry, githubFile, githubFolder } from '../catalogue-entry.ts';

/** As the official image's entrypoint reads them: POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default the user). */
function login(env: ServiceEnvironment): LoginOutcome {
  const user = firstSet(env, 'POSTGRES_USER') ?? 'postgres';
  const password = firstSet(env, 'POSTGRES_PASSWORD') ?? (env.POSTGRES_HOST_AUTH_METHOD === 'trust' ? '' : undefined);
  if (password === undefined) return { reason: 'its password is not in its environment (POSTGRES_PASSWORD_FILE?)' };
  return { login: { user, password, database: firstSet(env, 'POSTGRES_DB') ?? user } };
}

/**
 * Before 18: PGDATA and the VOLUME at /var/lib/postgresql/data; from 18: PGDATA under
 * /var/lib/postgresql/18, the VOLUME at /var/lib/postgresql, and the entrypoint refuses a mount at
 * the old path (docker-entrypoint.sh, "unused mount/volume").
 */
const LAYOUTS: CatalogueEntry['layouts'] = [
  { until: '17', volumes: ['/var/lib/postgresql/data'], env: { PGDATA: '/var/lib/postgresql/data' } },
  { volumes: ['/var/lib/postgresql'], env: { PGDATA: '/var/lib/postgresql/18/docker' }, refusesFormerMount: true, entrypoint: 'docker-entrypoint.sh' },
];

export const postgres = {
  displayName: 'PostgreSQL',
  official: 'postgres:17',
  standIn: standIn('persistence-harness/postgres:15', 'postgres', 'bookworm', { PG_MAJOR: '15' }),
  // postgres 18 sets PGDATA=/var/lib/postgresql/18/docker in the image and declares VOLUME /var/lib/postgresql.
  storage: {
    dataDir: '/var/lib/postgresql/data',
    dataDirEnv: 'PGDATA',
    formerDataDirs: ['/var/lib/postgresql/data'],
    formerLayoutUntil: '17',
    // Over TCP: on a first start the entrypoint's own server answers on the socket only, while it initialises.
    readyCommand: ['pg_isready', '-q', '-h', '127.0.0.1'],
  },
  capabilities: {
    database: true,
    crashDrills: true,
    backupSubject: 'postgres',
    login,
    artifacts: true,
    tuning: {
      id: 'postgres-shm-tmpfs',
      title: 'PostgreSQL with --shm-size=1g and --tmpfs /tmp:rw,noexec,nosuid',
      settings: '--shm-size=1g --tmpfs /tmp:rw,noexec,nosuid (the default: 64 MiB of /dev/shm, /tmp in the writable layer)',
      claim: 'PostgreSQL tuning: --shm-size=1g and --tmpfs /tmp:rw,noexec,nosuid',
      container: { sharedMemoryBytes: 1024 ** 3, tmpfs: { '/tmp': 'rw,noexec,nosuid' } },
    },
  },
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['postgres'],
      layouts: LAYOUTS,
      source: githubFolder('docker-library/postgres', '6edb0a8c4def40c371514b34aef9037ec82d9110', '18/bookworm'),
    },
    {
      repositories: ['postgis/postgis'],
      note: 'built FROM the official postgres image of the same major version',
      layouts: LAYOUTS,
      source: githubFile('postgis/docker-postgis', '51b35550144e6bf1c97a8dc7530b8eaa212180bf', '17-3.5/Dockerfile'),
    },
    {
      repositories: ['timescale/timescaledb', 'timescale/timescaledb-ha'],
      note: 'built FROM the official postgres alpine image of the same major version',
      layouts: LAYOUTS,
      source: githubFile('timescale/timescaledb-docker', '029292c030646f1ce91e0aef88025b65dc6200b0', 'Dockerfile'),
    },
  ],
} as const satisfies ServiceProfile;
