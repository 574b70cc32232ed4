// The databases the registry recognises in a user's project, probed as the drills probe the
// harness's own: a dataset written through the server's protocol and fingerprinted per table,
// and under a SIGKILL the acknowledged-write ledger. The check logs in with the credentials the
// service was configured with (database-login.ts) and writes tables of its own, named per round,
// so nothing of the copy's own data is touched.
import { type Dataset, standardDataset } from '../data/dataset.ts';
import type { Audit } from '../report/model.ts';
import { DATABASE_DRIVERS } from '../services/drivers.ts';
import type { DatabaseTarget, Login } from '../stack/database-target.ts';
import { databaseLogin } from './database-login.ts';

const CHECK_ROWS = 1_000;

export interface DatabaseAccess {
  target: DatabaseTarget;
  login: Login;
}

function driverOf(recognisedAs: string | undefined): DatabaseTarget | undefined {
  return recognisedAs !== undefined && recognisedAs in DATABASE_DRIVERS ? DATABASE_DRIVERS[recognisedAs as keyof typeof DATABASE_DRIVERS] : undefined;
}

/** The container port a probe connects to, for a service the registry recognises as a database. */
export function databasePort(service: Audit['services'][number]): number | undefined {
  return driverOf(service.recognisedAs)?.port;
}

/** How to reach the service's database, why the check cannot, or undefined for a service that is none. */
export function databaseAccess(
  service: Audit['services'][number],
  env: Readonly<Record<string, string | null>>,
  command: readonly string[] | null,
): DatabaseAccess | { reason: string } | undefined {
  const target = driverOf(service.recognisedAs);
  const outcome = target && service.recognisedAs ? databaseLogin(service.recognisedAs, env, command) : undefined;
  if (!target || !outcome) return undefined;
  return 'login' in outcome ? { target, login: outcome.login } : outcome;
}

/** The dataset of one round: the drills' tables under names of their own, so rounds never collide. */
export function roundDataset(round: number): Dataset {
  const dataset = standardDataset(CHECK_ROWS);
  return { name: dataset.name, tables: dataset.tables.map((table) => ({ ...table, name: `persist_check_${round}_${table.name}` })) };
}
