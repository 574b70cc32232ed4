// sysbench's oltp_write_only against MySQL (or MariaDB): run from the bench image inside the
// server container's network namespace, so it reaches the server on 127.0.0.1 as pgbench
// reaches PostgreSQL over its local socket.
import { METRICS, type Readings } from './metrics.ts';
import type { BenchProfile } from './sizes.ts';

export interface SysbenchLogin {
  user: string;
  password: string;
  database: string;
}

function options(profile: BenchProfile['sysbench'], login: SysbenchLogin): string[] {
  return [
    '--db-driver=mysql',
    '--mysql-host=127.0.0.1',
    '--mysql-port=3306',
    `--mysql-user=${login.user}`,
    `--mysql-password=${login.password}`,
    `--mysql-db=${login.database}`,
    `--tables=${profile.tables}`,
    `--table-size=${profile.tableSize}`,
  ];
}

export function sysbenchPrepareCommand(profile: BenchProfile['sysbench'], login: SysbenchLogin): string[] {
  return ['sysbench', 'oltp_write_only', ...options(profile, login), 'prepare'];
}

export function sysbenchRunCommand(profile: BenchProfile['sysbench'], login: SysbenchLogin): string[] {
  return ['sysbench', 'oltp_write_only', ...options(profile, login), `--threads=${profile.threads}`, `--time=${profile.seconds}`, '--percentile=95', 'run'];
}

export function readSysbench(output: string): Readings {
  const tps = /transactions:\s+\d+\s+\(([\d.]+) per sec\.\)/.exec(output)?.[1];
  const p95 = /95th percentile:\s+([\d.]+)/.exec(output)?.[1];
  if (tps === undefined || p95 === undefined) throw new Error(`sysbench printed no result: ${output.trim().split('\n').slice(-1)[0] ?? ''}`);
  return { [METRICS.sysbenchTps.id]: Number(tps), [METRICS.sysbenchP95.id]: Number(p95) };
}
