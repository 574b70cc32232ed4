// Polls a target until it accepts connections; fails fast if its container has exited.
import { StepTimeoutError } from '../errors.ts';
import { inspectContainer, readLogs } from '../docker/containers.ts';
import type { DatabaseConnection, DatabaseTarget, Login } from '../stack/database-target.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';

// Short: the wait is part of the ready phase a recovery reports, and a refused connection costs
// the server nothing (bench/overhead.ts: at 50 ms, polling was a third of PostgreSQL's overhead).
const POLL_INTERVAL_MS = 10;
/** How often, in attempts (about a second), whether the container is still running is checked. */
const EXIT_CHECK_ATTEMPTS = 100;
export const READY_TIMEOUT_MS = 120_000;

export class ContainerExitedError extends Error {
  readonly exitCode: number;
  readonly logTail: string;
  constructor(exitCode: number, logTail: string) {
    super(`the container exited with code ${exitCode} before it was ready: ${logTail}`);
    this.exitCode = exitCode;
    this.logTail = logTail;
  }
}

export async function waitUntilReady(
  target: DatabaseTarget,
  containerId: string,
  host: string,
  port: number,
  timeoutMs = READY_TIMEOUT_MS,
  login?: Login,
): Promise<DatabaseConnection> {
  const deadline = deadlineIn(timeoutMs);
  let lastProblem = '';
  let attempts = 0;
  while (!deadline.passed()) {
    try {
      return await target.connect(host, port, login);
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    attempts += 1;
    if (attempts % EXIT_CHECK_ATTEMPTS === 0) {
      const state = await inspectContainer(containerId);
      if (!state.running) {
        const logs = (await readLogs(containerId)).trim().split('\n').slice(-5).join(' | ');
        throw new ContainerExitedError(state.exitCode, logs);
      }
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new StepTimeoutError(`Waiting for ${target.displayName} to accept connections`, timeoutMs, lastProblem);
}
