// The database drivers by service name. The type makes the map total both ways: a database
// service in the registry without a driver, or a driver without a service, does not compile.
import type { DatabaseServiceName } from '../services/registry.ts';
import { mysql } from './mysql.ts';
import { postgres } from './postgres.ts';
import { redis } from './redis.ts';
import type { DatabaseTarget } from './target.ts';

export const DATABASE_DRIVERS = { postgres, mysql, redis } satisfies Record<DatabaseServiceName, DatabaseTarget>;
