// How large and how long each benchmark runs. The suite proves the scenario works at the quick
// size in seconds; the full size is what `persist run performance` reports figures from.
import type { BenchSize } from '../config.ts';

export interface BenchProfile {
  fio: { fileMiB: number; seconds: number };
  pgbench: { scale: number; clients: number; threads: number; seconds: number };
  sysbench: { tables: number; tableSize: number; threads: number; seconds: number };
}

export const BENCH_PROFILES: Record<BenchSize, BenchProfile> = {
  quick: {
    fio: { fileMiB: 32, seconds: 1 },
    pgbench: { scale: 1, clients: 2, threads: 2, seconds: 2 },
    sysbench: { tables: 1, tableSize: 1_000, threads: 2, seconds: 2 },
  },
  full: {
    fio: { fileMiB: 256, seconds: 5 },
    // Scale 10 gives ten branch rows, so four clients do not all queue on one row.
    pgbench: { scale: 10, clients: 4, threads: 2, seconds: 10 },
    sysbench: { tables: 4, tableSize: 10_000, threads: 4, seconds: 10 },
  },
};

export function describeProfile(profile: BenchProfile): string {
  const { fio, pgbench, sysbench } = profile;
  return [
    `fio: a ${fio.fileMiB} MiB file, ${fio.seconds} s per job`,
    `pgbench: scale ${pgbench.scale}, ${pgbench.clients} clients, ${pgbench.seconds} s`,
    `sysbench: ${sysbench.tables} table(s) of ${sysbench.tableSize} rows, ${sysbench.threads} threads, ${sysbench.seconds} s`,
  ].join('; ');
}
