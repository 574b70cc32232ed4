// fio's jobs, as the issue of a storage type's speed is usually argued: large sequential
// transfers, 4 KiB random writes each followed by fdatasync (what a database commit waits
// for), and 4 KiB random reads. This module builds the command lines and reads fio's JSON;
// running them is the caller's.
import { METRICS, type Readings } from './metrics.ts';

export interface FioJob {
  id: string;
  args: string[];
  read(job: FioJobOutput): Readings;
}

/** The parts of one job in `fio --output-format=json` this module reads. */
export interface FioJobOutput {
  error: number;
  read: FioDirection;
  write: FioDirection;
  sync?: { lat_ns?: { percentile?: Record<string, number> } };
}
interface FioDirection {
  bw_bytes: number;
  iops: number;
  clat_ns?: { percentile?: Record<string, number> };
}

const MIB = 1024 * 1024;
const NS_PER_MS = 1_000_000;

function percentileMs(percentiles: Record<string, number> | undefined, which: '50.000000' | '99.000000'): number {
  const ns = percentiles?.[which];
  if (ns === undefined) throw new Error(`fio reported no ${Number.parseFloat(which)}th percentile`);
  return ns / NS_PER_MS;
}

export const FIO_JOBS: FioJob[] = [
  { id: 'seq-write', args: ['--rw=write', '--bs=1m'], read: (job) => ({ [METRICS.seqWrite.id]: job.write.bw_bytes / MIB }) },
  { id: 'seq-read', args: ['--rw=read', '--bs=1m'], read: (job) => ({ [METRICS.seqRead.id]: job.read.bw_bytes / MIB }) },
  {
    id: 'sync-write',
    args: ['--rw=randwrite', '--bs=4k', '--fdatasync=1'],
    read: (job) => ({
      [METRICS.syncWriteIops.id]: job.write.iops,
      [METRICS.syncWriteP50.id]: percentileMs(job.write.clat_ns?.percentile, '50.000000'),
      [METRICS.syncWriteP99.id]: percentileMs(job.write.clat_ns?.percentile, '99.000000'),
      [METRICS.fdatasyncP99.id]: percentileMs(job.sync?.lat_ns?.percentile, '99.000000'),
    }),
  },
  { id: 'rand-read', args: ['--rw=randread', '--bs=4k'], read: (job) => ({ [METRICS.randReadIops.id]: job.read.iops }) },
];

/** The 4 KiB O_DIRECT write job of the throttle control: one request per write, each one the throttle counts. */
export const DIRECT_WRITE_JOB: FioJob = {
  id: 'direct-write',
  args: ['--rw=randwrite', '--bs=4k'],
  read: (job) => ({ iops: job.write.iops }),
};

export interface FioRun {
  directory: string;
  fileMiB: number;
  seconds: number;
  direct: boolean;
}

/** One job on one file: every job of a storage type reuses the file the first one laid out. */
export function fioCommand(job: FioJob, run: FioRun): string[] {
  return [
    'fio',
    `--name=${job.id}`,
    `--filename=${run.directory}/fio.dat`,
    `--size=${run.fileMiB}m`,
    `--runtime=${run.seconds}`,
    '--time_based',
    '--ioengine=psync',
    `--direct=${run.direct ? 1 : 0}`,
    '--output-format=json',
    ...job.args,
  ];
}

/** A write of a few blocks with O_DIRECT: whether the file system under the directory accepts it. */
export function directProbeCommand(directory: string): string[] {
  return ['fio', '--name=direct-probe', `--filename=${directory}/direct-probe.dat`, '--size=1m', '--bs=4k', '--rw=write', '--direct=1', '--ioengine=psync'];
}

/** The job's figures from fio's JSON output (which may follow warnings on the same stream). */
export function readFioOutput(job: FioJob, output: string): Readings {
  const start = output.indexOf('{');
  if (start < 0) throw new Error(`fio printed no JSON: ${output.trim().split('\n').slice(-1)[0] ?? ''}`);
  const parsed = JSON.parse(output.slice(start)) as { jobs?: FioJobOutput[] };
  const first = parsed.jobs?.[0];
  if (!first) throw new Error('fio reported no job');
  if (first.error !== 0) throw new Error(`fio's job ${job.id} failed with error ${first.error}`);
  return job.read(first);
}
