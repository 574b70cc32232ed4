// What the performance scenario measures, by metric id: the label and unit every format shows
// and which direction is better. Each benchmark module reads its tool's output into these ids.
import type { BenchTool } from '../report/model.ts';

export interface MetricDefinition {
  id: string;
  tool: BenchTool;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
}

const metric = (id: string, tool: BenchTool, label: string, unit: string, better: 'higher' | 'lower'): MetricDefinition => ({
  id,
  tool,
  label,
  unit,
  better,
});

export const METRICS = {
  seqWrite: metric('fio.seq-write', 'fio', 'fio sequential write, 1 MiB blocks', 'MiB/s', 'higher'),
  seqRead: metric('fio.seq-read', 'fio', 'fio sequential read, 1 MiB blocks', 'MiB/s', 'higher'),
  syncWriteIops: metric('fio.sync-write-iops', 'fio', 'fio 4 KiB random writes, fdatasync after each', 'IOPS', 'higher'),
  syncWriteP50: metric('fio.sync-write-clat-p50', 'fio', 'fio 4 KiB synced writes: write completion latency p50', 'ms', 'lower'),
  syncWriteP99: metric('fio.sync-write-clat-p99', 'fio', 'fio 4 KiB synced writes: write completion latency p99', 'ms', 'lower'),
  fdatasyncP99: metric('fio.fdatasync-p99', 'fio', 'fio 4 KiB synced writes: fdatasync latency p99', 'ms', 'lower'),
  randReadIops: metric('fio.rand-read-iops', 'fio', 'fio 4 KiB random reads', 'IOPS', 'higher'),
  pgbenchTps: metric('pgbench.tps', 'pgbench', 'PostgreSQL pgbench (TPC-B-like) throughput', 'TPS', 'higher'),
  pgbenchLatency: metric('pgbench.latency-avg', 'pgbench', 'PostgreSQL pgbench latency, average', 'ms', 'lower'),
  pgbenchP99: metric('pgbench.latency-p99', 'pgbench', 'PostgreSQL pgbench latency p99', 'ms', 'lower'),
  sysbenchTps: metric('sysbench.tps', 'sysbench', 'MySQL sysbench oltp_write_only throughput', 'TPS', 'higher'),
  sysbenchP95: metric('sysbench.latency-p95', 'sysbench', 'MySQL sysbench oltp_write_only latency p95', 'ms', 'lower'),
} as const;

export type MetricName = keyof typeof METRICS;
/** One trial's readings, by metric id. */
export type Readings = Record<string, number>;
