// The seed's "disappearing data" lesson for PostgreSQL, proven on every storage type.
// For each cell: start PostgreSQL with its data directory on the storage, write the seed's
// employees and 10,000 generated readings, fingerprint them, stop the container gracefully,
// bring it back (the same container, or a new one on the same mount) and fingerprint again.
// What each storage type must keep is STORAGE_PROMISES: named volumes and bind mounts keep
// everything, the writable layer lives as long as the container, tmpfs never outlives a stop.
import { describePersistenceMatrix } from '../src/matrix/suite.ts';
import { postgres } from '../src/services/postgres/driver.ts';

describePersistenceMatrix('postgres', postgres, {
  variant: 'pg18-layout',
  describe: "with postgres 18's data layout (VOLUME /var/lib/postgresql, PGDATA below it)",
  // postgres:18 officially; the stand-in is PostgreSQL 17 built with 18's layout.
  image: (config) => {
    const pair = config.upgrades['moved-data-path'];
    return { target: 'postgres', reference: pair.to, source: pair.source };
  },
});
