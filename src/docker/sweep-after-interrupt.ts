// Run by the signal handler in its own process: `sweep-after-interrupt.ts <runId> <parentPid>`.
// Stops the interrupted run's other child processes (vitest's workers), then removes
// everything with the run's label, twice: the engine may finish a create request that a
// dying worker sent just before it died.
import { readdir, readFile } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import { sweepRun } from './run-scope.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';

const WORKER_EXIT_WAIT_MS = 3_000;
const LATE_CREATE_GRACE_MS = 1_000;

const [runId, parentPid] = process.argv.slice(2);
try {
  if (!runId || !parentPid) throw new Error('usage: sweep-after-interrupt.ts <runId> <parentPid>');
  await stopChildProcesses(Number(parentPid));
  await sweepRun(runId);
  await sleep(LATE_CREATE_GRACE_MS);
  await sweepRun(runId);
  process.stderr.write('[persist] cleanup done.\n');
  process.exit(0);
} catch (error) {
  process.stderr.write(`[persist] cleanup failed: ${describeError(error)}\n`);
  process.exit(1);
}

/** Kills the parent's other children and waits until they are gone. */
async function stopChildProcesses(parent: number): Promise<void> {
  const children = (await childPids(parent)).filter((pid) => pid !== process.pid);
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = deadlineIn(WORKER_EXIT_WAIT_MS);
  while (!deadline.passed() && (await Promise.all(children.map(isRunning))).some(Boolean)) {
    await sleep(50);
  }
}

/** Linux: a process's children are those whose /proc/<pid>/stat names it as parent. */
async function childPids(parent: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''));
    if (Number(fields[1]) === parent) children.push(Number(entry));
  }
  return children;
}

async function isRunning(pid: number): Promise<boolean> {
  const fields = statFields(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
  // A zombie (state Z) has exited and only waits to be reaped.
  return fields.length > 0 && fields[0] !== 'Z';
}

/** The fields after the command name, which may itself contain spaces and parentheses. */
function statFields(stat: string): string[] {
  return stat === '' ? [] : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
