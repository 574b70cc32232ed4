// Runs once in vitest's main process around all scenario files: whatever a scenario leaves
// behind (a crash, a timeout, Ctrl-C) is swept by the run label at the end.
import { loadConfig } from '../config.ts';
import { sweepRun } from '../docker/run-scope.ts';
import { describeError } from '../errors.ts';

export default function setup(): () => Promise<void> {
  const { runId } = loadConfig();
  if (!runId) return async () => undefined;

  const sweep = async () => {
    try {
      await sweepRun(runId);
    } catch (error) {
      process.stderr.write(`[persist] cleanup of run ${runId} failed: ${describeError(error)}; run \`persist clean\`.\n`);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n[persist] ${signal}: removing everything labelled with run ${runId}…\n`);
    void sweep().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sweep();
  };
}
