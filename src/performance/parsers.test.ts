import { describe, expect, test } from 'vitest';
import { FIO_JOBS, readFioOutput } from './fio.ts';
import { readPgbench, transactionLatenciesMs } from './pgbench.ts';
import { readSysbench } from './sysbench.ts';

const percentiles = (p50: number, p99: number) => ({ percentile: { '50.000000': p50, '99.000000': p99 } });
const direction = { bw_bytes: 0, iops: 0 };

describe("reading the tools' output", () => {
  test('fio: the synced-write job gives IOPS, write latency p50/p99 and fdatasync p99 in ms, after any warning line', () => {
    const job = {
      error: 0,
      read: direction,
      write: { bw_bytes: 1, iops: 812.5, clat_ns: percentiles(250_000, 1_500_000) },
      sync: { lat_ns: percentiles(1, 2_000_000) },
    };
    const output = `fio: some warning\n${JSON.stringify({ jobs: [job] })}`;
    const sync = FIO_JOBS.find((j) => j.id === 'sync-write')!;
    expect(readFioOutput(sync, output)).toEqual({
      'fio.sync-write-iops': 812.5,
      'fio.sync-write-clat-p50': 0.25,
      'fio.sync-write-clat-p99': 1.5,
      'fio.fdatasync-p99': 2,
    });
  });

  test('fio: a failed job or no JSON is an error, not a zero', () => {
    const seq = FIO_JOBS[0]!;
    expect(() => readFioOutput(seq, 'fio: pid=1, err=22/file:filesetup.c:805, func=open, error=Invalid argument')).toThrow(/no JSON/);
    expect(() => readFioOutput(seq, JSON.stringify({ jobs: [{ error: 22, read: direction, write: direction }] }))).toThrow(/error 22/);
  });

  test('pgbench: TPS and average from the summary, p99 from the transaction log', () => {
    const summary = 'latency average = 2.422 ms\ninitial connection time = 11.692 ms\ntps = 1651.197953 (without initial connection time)\n';
    const log = Array.from({ length: 100 }, (_, i) => `0 ${i} ${(i + 1) * 1000} 0 1796065458 150473`).join('\n');
    expect(readPgbench(summary, log)).toEqual({ 'pgbench.tps': 1651.197953, 'pgbench.latency-avg': 2.422, 'pgbench.latency-p99': 99 });
    expect(transactionLatenciesMs('garbage\n1 2 3500 0 1 2\n')).toEqual([3.5]);
    expect(() => readPgbench('FATAL: role "x" does not exist', log)).toThrow(/no summary/);
  });

  test('sysbench: TPS and p95', () => {
    const output = '    transactions:                        6080   (2024.16 per sec.)\n         95th percentile:                        3.43\n';
    expect(readSysbench(output)).toEqual({ 'sysbench.tps': 2024.16, 'sysbench.latency-p95': 3.43 });
    expect(() => readSysbench('FATAL: unable to connect')).toThrow(/no result/);
  });
});
