// The seed's tmpfs "sticky notes", proven: data on a tmpfs mount is readable while the
// container runs, never reaches the disk, is gone after a stop and start, and the mount's
// options (size=, noexec) are enforced. Run with the mount taken away, the same checks must
// fail: that is the negative control.
import { randomBytes } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import { inspectContainer, startExisting, stopGracefully } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { StepTimeoutError } from '../errors.ts';
import type { CellResult, ItemOutcome, Observation, Phase } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import { idleContainer } from '../targets/toolbox.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { type ImageDrillContext, identify, runDrill } from '../drill/drill.ts';
import { firstLine } from './output.ts';
import { searchDisk } from './on-disk.ts';
import { deadlineIn, sleep, stopwatch } from '../timing/clock.ts';

/** The seed's two mounts: a cache with a size limit, and /tmp with noexec. */
export const CACHE_DIR = '/app/cache';
export const TMP_DIR = '/tmp';
const MOUNTS: Record<string, string> = { [CACHE_DIR]: 'rw,size=1m', [TMP_DIR]: 'rw,noexec,nosuid,size=16m' };
const OVER_THE_LIMIT_BYTES = 2 * 1024 * 1024;

export const TMPFS_ITEMS = ['readable while running', 'kept off disk', 'size limit enforced', 'noexec enforced', 'after a stop and start'] as const;
export type TmpfsItem = (typeof TMPFS_ITEMS)[number];

/** What holds the two paths: tmpfs, or for the negative controls, volumes or the writable layer. */
export type TmpfsReplacement = 'tmpfs' | 'named-volume' | 'container-layer';

export interface TmpfsSetup {
  name: string;
  title: string;
  mounts: TmpfsReplacement;
  expected: Record<TmpfsItem, Observation>;
}

export type TmpfsContext = ImageDrillContext;

export async function runTmpfsChecks(scenario: string, setup: TmpfsSetup, context: TmpfsContext): Promise<CellResult> {
  const identity = identify(
    { target: 'toolbox', storage: setup.mounts, disruption: 'restart', variant: setup.name },
    { scenario, title: `tmpfs: ${setup.title}`, expected: setup.expected['after a stop and start'] === 'lost' ? 'lost' : 'survives' },
  );
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(setup, context, trial, scope) }, context);
}

async function runTrial(setup: TmpfsSetup, context: TmpfsContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const evidence: string[] = [];
  const observed: Partial<Record<TmpfsItem, Observation>> = {};
  const phasesMs: Partial<Record<Phase, number>> = {};
  const token = `sticky-note-${randomBytes(12).toString('hex')}`;

  let container = idleContainer(context.image.reference).withLabels(scope.labels('tmpfs'));
  if (setup.mounts === 'tmpfs') container = container.withTmpFs(MOUNTS);
  if (setup.mounts === 'named-volume') {
    const volumes = await Promise.all(Object.keys(MOUNTS).map(async (path) => ({ source: await scope.createVolume('instead-of-tmpfs'), target: path })));
    container = container.withBindMounts(volumes);
  }
  const started = await container.start();
  scope.trackContainer(started.getId());
  const mounts = (await inspectContainer(started.getId())).mounts.filter((m) => Object.keys(MOUNTS).includes(m.destination));
  evidence.push(
    mounts.length > 0
      ? `${CACHE_DIR} and ${TMP_DIR}: ${mounts.map((m) => `${m.type}${m.type === 'tmpfs' ? ` (${MOUNTS[m.destination]})` : ` ${m.source}`}`).join(', ')}`
      : `no mounts: ${CACHE_DIR} and ${TMP_DIR} are in the writable layer`,
  );

  await shell(started, `mkdir -p ${CACHE_DIR} && printf %s ${token} > ${CACHE_DIR}/note && printf %s ${token} > ${TMP_DIR}/note`);
  const read = await shell(started, `cat ${CACHE_DIR}/note ${TMP_DIR}/note`);
  observed['readable while running'] = read.output === token + token ? 'visible' : 'absent';

  const disk = await searchDisk(started.getId(), token, [CACHE_DIR, TMP_DIR]);
  observed['kept off disk'] = disk.foundIn.length === 0 ? 'absent' : 'visible';
  evidence.push(
    disk.foundIn.length === 0
      ? `the note was found nowhere on disk (searched: ${disk.searched.join(', ')})`
      : `the note was found on disk: ${disk.foundIn.slice(0, 3).join(', ')}`,
  );

  const fill = await shell(started, `head -c ${OVER_THE_LIMIT_BYTES} /dev/zero > ${CACHE_DIR}/big; status=$?; rm -f ${CACHE_DIR}/big; exit $status`);
  observed['size limit enforced'] = fill.exitCode !== 0 ? 'refused' : 'allowed';
  evidence.push(`writing ${OVER_THE_LIMIT_BYTES} bytes to ${CACHE_DIR}: ${fill.exitCode !== 0 ? `refused (${firstLine(fill.output)})` : 'allowed'}`);

  const exec = await shell(started, `printf '#!/bin/sh\\necho ran\\n' > ${TMP_DIR}/run.sh && chmod +x ${TMP_DIR}/run.sh && ${TMP_DIR}/run.sh`);
  observed['noexec enforced'] = exec.exitCode !== 0 ? 'refused' : 'allowed';
  evidence.push(
    `running a script from ${TMP_DIR}: ${exec.exitCode !== 0 ? `refused (${firstLine(exec.output)})` : `allowed (it printed "${firstLine(exec.output)}")`}`,
  );

  // The disruption: a graceful stop and a start of the same container.
  let clock = stopwatch();
  const stopped = await stopGracefully(started.getId());
  phasesMs.stop = clock.ms();
  evidence.push(`stop: exit code ${stopped.exitCode} in ${phasesMs.stop} ms`);
  clock = stopwatch();
  await startExisting(started.getId());
  phasesMs.create = clock.ms();
  clock = stopwatch();
  await untilExecAnswers(started);
  phasesMs.ready = clock.ms();
  clock = stopwatch();
  const after = await shell(started, `cat ${CACHE_DIR}/note ${TMP_DIR}/note 2>/dev/null`);
  phasesMs.verified = clock.ms();
  observed['after a stop and start'] = after.output.includes(token) ? 'survives' : 'lost';
  evidence.push(`after the stop and start the note was ${observed['after a stop and start'] === 'lost' ? 'gone' : 'still there'}`);

  const items: ItemOutcome[] = TMPFS_ITEMS.map((item) => ({ item, expected: setup.expected[item], observed: observed[item] ?? 'absent' }));
  const afterRestart = observed['after a stop and start'] === 'lost' ? 'lost' : 'survives';
  return {
    outcome: { trial, observed: afterRestart, reinitialised: false, cleanShutdown: stopped.exitCode === 0, differences: [] },
    matches: items.every((i) => i.observed === i.expected),
    items,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { note: { present: true, rows: 1, contentHash: token } },
    after: { note: afterRestart === 'survives' ? { present: true, rows: 1, contentHash: token } : { present: false, rows: 0, contentHash: null } },
    rowsLost: afterRestart === 'lost' ? 1 : 0,
    rowsUnexpected: 0,
    imageId: (await inspectContainer(started.getId())).imageId,
    serverVersion: 'shell in the toolbox image',
    evidence,
  };
}

async function shell(container: StartedTestContainer, script: string): Promise<{ exitCode: number; output: string }> {
  const result = await container.exec(['sh', '-c', script]);
  return { exitCode: result.exitCode, output: result.output.trim() };
}

async function untilExecAnswers(container: StartedTestContainer, timeoutMs = 30_000): Promise<void> {
  const deadline = deadlineIn(timeoutMs);
  let last = '';
  while (!deadline.passed()) {
    try {
      if ((await container.exec(['true'])).exitCode === 0) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(50);
  }
  throw new StepTimeoutError('Waiting for the restarted container to run commands', timeoutMs, last);
}
