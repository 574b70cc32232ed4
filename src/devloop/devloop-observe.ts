// What the drill watches an app container by: its answers over HTTP and the lines it prints.
// "Served" means an answer whose body carries the edit's marker, polled every 20 ms from the
// moment the file was written; the app restarting (connections refused) is part of the wait.
import { readLogs } from '../docker/containers.ts';
import { httpRequest } from '../web/http.ts';
import { deadlineIn, sleep, stopwatch } from '../timing/clock.ts';
import type { DevloopFacts } from '../report/model.ts';
import { type AppContainer, isRunning } from './app-container.ts';
import { type DevStack, occurrences } from './stacks.ts';

/** How long an edit may take to be served before it counts as not served. */
export const EDIT_WAIT_MS = 20_000;
/** How long the harness watches for something that should not (or may not) arrive. */
export const ABSENCE_WINDOW_MS = 5_000;
const START_WAIT_MS = 60_000;
const POLL_MS = 20;
/** Docker copies a container's output to its log asynchronously: a start line can lag its answer. */
const LOG_LAG_MS = 2_000;

async function answer(url: string): Promise<string | undefined> {
  try {
    const reply = await httpRequest(url, { signal: AbortSignal.timeout(2_000) });
    return reply.status === 200 ? reply.body.toString() : undefined;
  } catch {
    return undefined;
  }
}

export type FirstAnswer = { answered: true; ms: number } | { answered: false; exitCode: number | null; logLine: string | null };

/** Until the app answers / — or exits, or its watcher says it gave up waiting for a good edit. */
export async function firstAnswer(app: AppContainer, stack: DevStack): Promise<FirstAnswer> {
  const elapsed = stopwatch();
  const deadline = deadlineIn(START_WAIT_MS);
  for (let poll = 0; !deadline.passed(); poll++) {
    if ((await answer(`${app.url}/`)) !== undefined) return { answered: true, ms: elapsed.ms() };
    if (poll % 10 === 9) {
      const state = await isRunning(app.id);
      const logs = await readLogs(app.id);
      const gaveUp = stack.waitingLine?.test(logs) ?? false;
      if (!state.running || gaveUp) return { answered: false, exitCode: state.running ? null : state.exitCode, logLine: lastMatch(logs, stack.errorLine) };
    }
    await sleep(POLL_MS * 2);
  }
  return { answered: false, exitCode: null, logLine: lastMatch(await readLogs(app.id), stack.errorLine) };
}

/** Milliseconds from the write until `path` serves `marker`, or null when it did not within the wait. */
export async function editServed(app: AppContainer, path: string, marker: string, write: () => Promise<void>, waitMs: number): Promise<number | null> {
  const elapsed = stopwatch();
  await write();
  const deadline = deadlineIn(waitMs);
  for (let poll = 0; !deadline.passed(); poll++) {
    if ((await answer(`${app.url}${path}`))?.includes(marker)) return elapsed.ms();
    if (poll % 25 === 24 && !(await isRunning(app.id)).running) return null;
    await sleep(POLL_MS);
  }
  return null;
}

/** Counts the app's start lines: a new one after an edit means the process was restarted. */
export function watchRestarts(app: AppContainer, stack: DevStack): { sinceLast(): Promise<boolean> } {
  let last: number | undefined;
  const count = async () => occurrences(await readLogs(app.id), stack.startLine);
  return {
    async sinceLast() {
      last ??= 1;
      const deadline = deadlineIn(LOG_LAG_MS);
      for (;;) {
        const now = await count();
        if (now > last || deadline.passed()) {
          const restarted = now > last;
          last = Math.max(last, now);
          return restarted;
        }
        await sleep(50);
      }
    },
  };
}

export interface SyntaxErrorSteps {
  breakIt(): Promise<void>;
  fixIt(marker: string): Promise<void>;
  marker: string;
}

/** An edit that does not parse: does the app wait, exit or keep serving; then the next good edit. */
export async function syntaxErrorThenFix(
  app: AppContainer,
  stack: DevStack,
  steps: SyntaxErrorSteps,
): Promise<{ facts: NonNullable<DevloopFacts['syntaxError']>; delayMs: number | null; evidence: string }> {
  const offset = (await readLogs(app.id)).length;
  await steps.breakIt();
  const deadline = deadlineIn(ABSENCE_WINDOW_MS);
  let behaviour: 'waited' | 'exited' | 'kept-serving' = 'kept-serving';
  let exitCode: number | null = null;
  while (!deadline.passed()) {
    const state = await isRunning(app.id);
    if (!state.running) {
      behaviour = 'exited';
      exitCode = state.exitCode;
      break;
    }
    if (stack.waitingLine?.test((await readLogs(app.id)).slice(offset))) {
      behaviour = 'waited';
      break;
    }
    await sleep(100);
  }
  const logLine = lastMatch((await readLogs(app.id)).slice(offset), stack.errorLine);
  const delayMs = behaviour === 'exited' ? null : await editServed(app, '/', steps.marker, () => steps.fixIt(steps.marker), EDIT_WAIT_MS);
  if (behaviour === 'exited') await steps.fixIt(steps.marker);
  const what = {
    waited: 'the watcher kept the container up and waited',
    exited: `the container exited with code ${exitCode}`,
    'kept-serving': 'the old code kept serving',
  }[behaviour];
  const next =
    behaviour === 'exited'
      ? 'the next good edit was not served: nothing was left running to reload it (`docker start` it again)'
      : delayMs === null
        ? 'the next good edit was not served'
        : `the next good edit was served after ${delayMs.toFixed(0)} ms`;
  return {
    facts: { behaviour, exitCode, logLine, nextGoodEditServed: delayMs !== null },
    delayMs,
    evidence: `syntax error in ${stack.sourceFile}: ${what}${logLine ? ` (${logLine})` : ''}; ${next}`,
  };
}

function lastMatch(logs: string, pattern: RegExp): string | null {
  const lines = logs.split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim());
  const flags = pattern.flags.replace('m', '').replace('g', '');
  const single = new RegExp(pattern.source, flags);
  return lines.filter((line) => single.test(line)).at(-1) ?? null;
}
