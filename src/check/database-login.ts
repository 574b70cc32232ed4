// How the check logs in to a database the user configured: the credentials their own service
// was given, read from its environment as the official images read them. Pure, so each image's
// rules are unit-tested. None when the service's settings give the check no way in (a password
// only in a secret file): the check then proves the data with files alone and says why.
import type { Login } from '../targets/target.ts';

type Environment = Readonly<Record<string, string | null | undefined>>;

function first(env: Environment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

function truthy(env: Environment, ...names: string[]): boolean {
  const value = first(env, ...names);
  return value !== undefined && !['0', 'false', 'no'].includes(value.toLowerCase());
}

export type LoginOutcome = { login: Login } | { reason: string };

/** The database the check writes to when the service names none: its own, beside the user's. */
export const CHECK_DATABASE = 'persist_check';

function postgresLogin(env: Environment): LoginOutcome {
  const user = first(env, 'POSTGRES_USER') ?? 'postgres';
  const password = first(env, 'POSTGRES_PASSWORD') ?? (env.POSTGRES_HOST_AUTH_METHOD === 'trust' ? '' : undefined);
  if (password === undefined) return { reason: 'its password is not in its environment (POSTGRES_PASSWORD_FILE?)' };
  return { login: { user, password, database: first(env, 'POSTGRES_DB') ?? user } };
}

function mysqlLogin(env: Environment): LoginOutcome {
  const database = first(env, 'MYSQL_DATABASE', 'MARIADB_DATABASE');
  const root = first(env, 'MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD');
  if (root !== undefined) return { login: { user: 'root', password: root, database: database ?? CHECK_DATABASE, createDatabase: database === undefined } };
  if (truthy(env, 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'))
    return { login: { user: 'root', password: '', database: database ?? CHECK_DATABASE, createDatabase: database === undefined } };
  const user = first(env, 'MYSQL_USER', 'MARIADB_USER');
  const password = first(env, 'MYSQL_PASSWORD', 'MARIADB_PASSWORD');
  if (user && password && database) return { login: { user, password, database } };
  return { reason: 'no password for root or for a user with a database is in its environment' };
}

function redisLogin(env: Environment, command: readonly string[] | null): LoginOutcome {
  const flag = command?.indexOf('--requirepass') ?? -1;
  const password = flag >= 0 ? command?.[flag + 1] : first(env, 'REDIS_PASSWORD');
  return { login: { user: 'default', password: password ?? '', database: undefined } };
}

/** The login for a service the registry recognises as a database, from its resolved settings. */
export function databaseLogin(recognisedAs: string, env: Environment, command: readonly string[] | null): LoginOutcome | undefined {
  if (recognisedAs === 'postgres') return postgresLogin(env);
  if (recognisedAs === 'mysql') return mysqlLogin(env);
  if (recognisedAs === 'redis') return redisLogin(env, command);
  return undefined;
}
