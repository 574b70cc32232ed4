// pgbench, which ships with the PostgreSQL server: initialised at a fixed scale, then its
// TPC-B-like script for a fixed time. It runs in the server's own container over the local
// socket, so the network is not part of what is measured. Every transaction's latency is
// logged, for the p99 the summary does not print.
import { percentile } from '../report/stats.ts';
import { METRICS, type Readings } from './metrics.ts';
import type { BenchProfile } from './sizes.ts';

export const PGBENCH_LOG_PREFIX = '/tmp/persist-pgbench';

export function pgbenchInitCommand(profile: BenchProfile['pgbench'], user: string, database: string): string[] {
  return ['pgbench', '-U', user, '-i', '-q', '-s', String(profile.scale), database];
}

export function pgbenchRunCommand(profile: BenchProfile['pgbench'], user: string, database: string): string[] {
  const run = ['pgbench', '-U', user, '-c', String(profile.clients), '-j', String(profile.threads), '-T', String(profile.seconds)];
  return [...run, '-l', `--log-prefix=${PGBENCH_LOG_PREFIX}`, database];
}

/** Prints every per-transaction log line, then removes the logs (the next trial starts clean). */
export const PGBENCH_LOG_COMMAND = ['sh', '-c', `cat ${PGBENCH_LOG_PREFIX}.* && rm -f ${PGBENCH_LOG_PREFIX}.*`];

/** TPS and the average latency from pgbench's summary, p99 from its transaction log. */
export function readPgbench(summary: string, transactionLog: string): Readings {
  const tps = /^tps = ([\d.]+)/m.exec(summary)?.[1];
  const average = /^latency average = ([\d.]+) ms/m.exec(summary)?.[1];
  if (tps === undefined || average === undefined) throw new Error(`pgbench printed no summary: ${summary.trim().split('\n').slice(-1)[0] ?? ''}`);
  return {
    [METRICS.pgbenchTps.id]: Number(tps),
    [METRICS.pgbenchLatency.id]: Number(average),
    [METRICS.pgbenchP99.id]: p99Of(transactionLatenciesMs(transactionLog)),
  };
}

/** pgbench's log: `client transaction latency_us script epoch_s epoch_us` per line. */
export function transactionLatenciesMs(log: string): number[] {
  return log
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 6 && /^\d+$/.test(fields[2] ?? ''))
    .map((fields) => Number(fields[2]) / 1000);
}

function p99Of(latenciesMs: number[]): number {
  if (latenciesMs.length === 0) throw new Error('pgbench logged no transaction');
  return percentile(latenciesMs, 99);
}
