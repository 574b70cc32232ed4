// The database drivers by service name, each loaded from its service's folder by the folder's
// convention (driver.ts exports `driver`), so adding a service touches no list here. Only drills
// and the check import this module: the audit never loads a database's client library.
import type { DatabaseTarget } from '../stack/database-target.ts';
import { type DatabaseServiceName, databaseServices, type ServiceName } from './registry.ts';

/** A registered service's driver: its image is one of the registry's names, so the run's images are indexed by it. */
export type ServiceTarget = DatabaseTarget<ServiceName>;

async function load(name: DatabaseServiceName): Promise<[DatabaseServiceName, ServiceTarget]> {
  const module = (await import(`./${name}/driver.ts`)) as { driver?: ServiceTarget };
  if (module.driver?.name !== name) throw new Error(`src/services/${name}/driver.ts must export the service's driver as \`driver\`, named ${name}.`);
  return [name, module.driver];
}

export const DATABASE_DRIVERS = Object.fromEntries(await Promise.all(databaseServices().map(load))) as Record<DatabaseServiceName, ServiceTarget>;
