// Runs once in vitest's main process around all scenario files: whatever a scenario leaves
// behind (a crash, a timeout, Ctrl-C) is swept by the run label at the end.
import type { TestProject } from 'vitest/node';
import { sweepOnSignal } from '../docker/interrupt.ts';
import { ensurePublishedPortsReach } from '../docker/reachability.ts';
import { sweepRun } from '../docker/run-scope.ts';
import { describeError } from '../errors.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The settings the run handed over (persist run's runner, or the suite's configuration).
  const config = project.getProvidedContext().persistConfig;
  const { runId } = config;
  if (!runId) return async () => undefined;
  const stopListening = sweepOnSignal(runId);
  try {
    // Fails the run in seconds, with the fix, where no drill could reach its server.
    await ensurePublishedPortsReach(config.images.toolbox, runId);
  } catch (error) {
    stopListening();
    throw error;
  }
  return async () => {
    stopListening();
    try {
      await sweepRun(runId);
    } catch (error) {
      process.stderr.write(`[persist] cleanup of run ${runId} failed: ${describeError(error)}; run \`persist clean --run ${runId}\`.\n`);
    }
  };
}
