// PostgreSQL: the official image's contract, as src/services/profile.ts describes a service.
import { firstSet, type LoginOutcome, type ServiceEnvironment, type ServiceProfile, standIn } from '../profile.ts';

/** As the official image's entrypoint reads them: POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default the user). */
function login(env: ServiceEnvironment): LoginOutcome {
  const user = firstSet(env, 'POSTGRES_USER') ?? 'postgres';
  const password = firstSet(env, 'POSTGRES_PASSWORD') ?? (env.POSTGRES_HOST_AUTH_METHOD === 'trust' ? '' : undefined);
  if (password === undefined) return { reason: 'its password is not in its environment (POSTGRES_PASSWORD_FILE?)' };
  return { login: { user, password, database: firstSet(env, 'POSTGRES_DB') ?? user } };
}

export const postgres = {
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
  capabilities: {
    database: true,
    crashDrills: true,
    backupSubject: 'postgres',
    login,
  },
} as const satisfies ServiceProfile;
