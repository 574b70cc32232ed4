// fio on one storage type: per trial a new bench container with the storage mounted at
// /bench (checked against what the engine mounted), every job in turn on one file, and the
// container's block I/O over the jobs. The first trial also asks whether O_DIRECT is accepted
// and what the storage sits on.
import type { RunScope } from '../docker/run-scope.ts';
import { execIn } from '../docker/exec.ts';
import { progress } from '../progress.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { prepareStorage, requirePlaced, type StorageKind } from '../storage/placement.ts';
import { BENCH_DIR, BenchContainer } from './bench-container.ts';
import { runTool } from './bench-exec.ts';
import { type DiskFacts, describeDisk, diskUnder } from './disk.ts';
import { blockIo, blockIoBetween } from './engine-accounting.ts';
import { figuresOf } from './figures.ts';
import { directProbeCommand, FIO_JOBS, fioCommand, readFioOutput } from './fio.ts';
import { METRICS, type Readings } from './metrics.ts';
import type { PerformancePart } from '../report/performance-part.ts';
import { eachTrial } from './trials.ts';
import type { BenchProfile } from './sizes.ts';

export interface BenchContext {
  scope: RunScope;
  trials: number;
  profile: BenchProfile;
  benchImage: string;
}

const FIO_METRICS = [
  METRICS.seqWrite,
  METRICS.seqRead,
  METRICS.syncWriteIops,
  METRICS.syncWriteP50,
  METRICS.syncWriteP99,
  METRICS.fdatasyncP99,
  METRICS.randReadIops,
];

/** A bench container with the storage under test at /bench, verified to be what the engine mounted. */
export async function startBench(kind: StorageKind, context: BenchContext, scope: RunScope, purpose: string, throttle?: { device: string; iops: number }) {
  const layout = await dataLayoutOf(context.benchImage, { documented: [BENCH_DIR], writableLayer: BENCH_DIR });
  const placement = await prepareStorage(kind, layout, scope);
  const define = () => {
    const container = placement.applyTo(new BenchContainer(context.benchImage));
    return throttle ? (container as BenchContainer).withDeviceWriteIops(throttle.device, throttle.iops) : container;
  };
  const stack = await HarnessStack.start(scope, purpose, { bench: define });
  requirePlaced(placement, await stack.inspect('bench'), 'The bench container');
  const id = stack.containerId('bench');
  await runTool(id, ['mkdir', '-p', placement.dataPath], 'mkdir');
  return { id, placement };
}

export async function acceptsDirectIo(containerId: string, directory: string): Promise<boolean> {
  return (await execIn(containerId, directProbeCommand(directory))).exitCode === 0;
}

export function directIoNote(kind: StorageKind, accepted: boolean): string {
  if (!accepted) return 'O_DIRECT refused: the jobs ran buffered, so reads may come from the page cache';
  if (kind === 'tmpfs') return 'O_DIRECT accepted, and meaningless: tmpfs is memory, there is no device cache to bypass';
  return 'O_DIRECT accepted: every job bypassed the page cache';
}

async function fioTrial(kind: StorageKind, context: BenchContext, scope: RunScope, trial: number) {
  const { id, placement } = await startBench(kind, context, scope, `performance-fio-${kind}`);
  const direct = await acceptsDirectIo(id, placement.dataPath);
  const disk = trial === 1 ? await diskUnder(id, placement.dataPath) : undefined;
  const before = await blockIo(id);
  const readings: Readings = {};
  for (const job of FIO_JOBS) {
    progress(`performance: fio ${job.id} on ${kind}, trial ${trial}`);
    const command = fioCommand(job, { directory: placement.dataPath, fileMiB: context.profile.fio.fileMiB, seconds: context.profile.fio.seconds, direct });
    Object.assign(readings, readFioOutput(job, await runTool(id, command, `fio ${job.id}`)));
  }
  return { readings, direct, disk, placement, io: blockIoBetween(before, await blockIo(id)) };
}

/** fio's figures for one storage type over the trials, with O_DIRECT, block I/O and (named volume) the disk. */
export async function benchFio(kind: StorageKind, context: BenchContext): Promise<PerformancePart> {
  const results = await eachTrial(context.scope, context.trials, (trial, scope) => fioTrial(kind, context, scope, trial));
  const [first] = results;
  return {
    figures: figuresOf(
      FIO_METRICS,
      kind,
      results.map((result) => result.readings),
    ),
    directIo: [{ storage: kind, accepted: first.direct, note: directIoNote(kind, first.direct) }],
    blockIo: [{ storage: kind, subject: 'the bench container during fio, all jobs (trial 1)', ...first.io }],
    ...(first.disk ? { machine: machineFacts(kind, first.disk) } : {}),
  };
}

/** The named volume's mount is the engine's data root's file system; the writable layer names the storage driver's. */
function machineFacts(kind: StorageKind, disk: DiskFacts): PerformancePart['machine'] {
  if (kind !== 'named-volume') return {};
  return { filesystem: disk.filesystem, device: describeDisk(disk), rotational: disk.rotational };
}
