// The negative control: the 4 KiB O_DIRECT write job on a named volume, once as it is and once
// with `--device-write-iops` at a twentieth of that figure on the volume's disk. The throttled
// run must measure at most 1.2 × the limit: a benchmark that cannot see a 20× slowdown proves
// nothing. Direct writes, because a cgroup v1 throttle does not see buffered writes (the kernel
// writes them back later, charged to no container).
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, ThrottleFacts } from '../report/model.ts';
import { assembleResult, itemsRecord } from '../drill/assemble.ts';
import { identify } from '../drill/drill.ts';
import { runTool } from './bench-exec.ts';
import { diskUnder } from './disk.ts';
import { acceptsDirectIo, type BenchContext, startBench } from './fio-bench.ts';
import { judgeThrottle, throttleLimit } from './figures.ts';
import { DIRECT_WRITE_JOB, fioCommand, readFioOutput } from './fio.ts';

async function directWriteIops(containerId: string, directory: string, context: BenchContext): Promise<number> {
  const command = fioCommand(DIRECT_WRITE_JOB, { directory, fileMiB: context.profile.fio.fileMiB, seconds: context.profile.fio.seconds + 1, direct: true });
  return readFioOutput(DIRECT_WRITE_JOB, await runTool(containerId, command, 'fio direct writes')).iops as number;
}

export async function throttleControl(context: BenchContext): Promise<ThrottleFacts> {
  const scope = context.scope.child();
  try {
    const free = await startBench('named-volume', context, scope, 'performance-throttle-free');
    if (!(await acceptsDirectIo(free.id, free.placement.dataPath))) {
      throw new HarnessError(
        'The named volume refuses O_DIRECT, so the throttle control cannot run.',
        'Run it on an engine whose data root is on a block device file system (ext4, xfs).',
      );
    }
    const disk = await diskUnder(free.id, free.placement.dataPath);
    if (!disk?.disk)
      throw new HarnessError("The named volume's file system has no block device to throttle.", 'Run it on an engine whose data root is on a disk.');
    progress('performance: throttle control: unthrottled direct writes');
    const unthrottled = await directWriteIops(free.id, free.placement.dataPath, context);
    const limit = throttleLimit(unthrottled);
    progress(`performance: throttle control: --device-write-iops ${disk.disk}:${limit}`);
    const throttled = await startBench('named-volume', context, scope, 'performance-throttle-capped', { device: disk.disk, iops: limit });
    const measured = await directWriteIops(throttled.id, throttled.placement.dataPath, context);
    return judgeThrottle(disk.disk, unthrottled, limit, measured);
  } finally {
    await scope.dispose();
  }
}

/**
 * The control as a result the report counts: its check is "the named volume takes 4 KiB direct
 * writes at its unthrottled rate", which the throttle must make fail.
 */
export function throttleResult(facts: ThrottleFacts, scenario: string, image: { reference: string; id: string }): CellResult {
  const identity = identify(
    { target: 'fio', storage: 'named-volume', disruption: 'none', variant: 'throttled' },
    {
      scenario,
      title: `fio 4 KiB O_DIRECT writes on a named volume under --device-write-iops ${facts.device}:${facts.limitIops}`,
      expected: 'survives',
    },
  );
  const evidence = [
    `unthrottled: ${facts.unthrottledIops} IOPS; limit: ${facts.limitIops} IOPS (a twentieth); measured under the limit: ${facts.measuredIops} IOPS (at most ${facts.ceilingIops} = 1.2 × the limit)`,
    facts.caught ? 'the benchmark saw the throttle' : 'the benchmark did NOT see the throttle: its figures cannot be trusted to show a slow disk',
  ];
  const item = { item: 'writes at the unthrottled rate', expected: 'allowed' as const, observed: facts.caught ? ('refused' as const) : ('allowed' as const) };
  const record = itemsRecord({ trial: 1, items: [item], observed: facts.caught ? 'lost' : 'survives', imageId: image.id, serverVersion: 'fio', evidence });
  return assembleResult(identity, image.reference, [record], undefined);
}
