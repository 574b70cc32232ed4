// The seed's tuning advice, as variants of how the server's container is started.
import { METRICS } from './metrics.ts';
import type { Tuning } from './database-runs.ts';

const GIB = 1024 ** 3;

export const POSTGRES_TUNING: Tuning = {
  spec: {
    id: 'postgres-shm-tmpfs',
    target: 'postgres',
    title: 'PostgreSQL with --shm-size=1g and --tmpfs /tmp:rw,noexec,nosuid',
    settings: '--shm-size=1g --tmpfs /tmp:rw,noexec,nosuid (the default: 64 MiB of /dev/shm, /tmp in the writable layer)',
    metric: METRICS.pgbenchTps,
  },
  variant: { name: 'shm-tmpfs', adjust: (container) => container.withSharedMemorySize(GIB).withTmpFs({ '/tmp': 'rw,noexec,nosuid' }) },
};

export const MYSQL_TUNING: Tuning = {
  spec: {
    id: 'mysql-buffer-pool',
    target: 'mysql',
    title: 'MySQL with --innodb-buffer-pool-size=1G',
    settings: '--innodb-buffer-pool-size=1G (the default: 128 MiB)',
    metric: METRICS.sysbenchTps,
  },
  variant: { name: 'buffer-pool-1g', serverArgs: ['--innodb-buffer-pool-size=1G'] },
};
