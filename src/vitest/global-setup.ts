// Runs once in vitest's main process around all scenario files: whatever a scenario leaves
// behind (a crash, a timeout, Ctrl-C) is swept by the run label at the end.
import { loadConfig } from '../config.ts';
import { sweepOnSignal } from '../docker/interrupt.ts';
import { sweepRun } from '../docker/run-scope.ts';
import { describeError } from '../errors.ts';

export default function setup(): () => Promise<void> {
  const { runId } = loadConfig();
  if (!runId) return async () => undefined;
  const stopListening = sweepOnSignal(runId);
  return async () => {
    stopListening();
    try {
      await sweepRun(runId);
    } catch (error) {
      process.stderr.write(`[persist] cleanup of run ${runId} failed: ${describeError(error)}; run \`persist clean --run ${runId}\`.\n`);
    }
  };
}
