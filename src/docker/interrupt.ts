// Ctrl-C (or a CI cancel) in the middle of a run. Two things make this harder than it looks:
// vitest's own signal handler exits the process 1 ms later, cutting any async cleanup short;
// and a worker may be creating a container while we sweep. So the handler blocks in a child
// process that stops the workers first, then sweeps the run's label, waits, and sweeps again.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SWEEP_TIMEOUT_MS = 60_000;

export function sweepOnSignal(runId: string): () => void {
  let handled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handled) return;
    handled = true;
    process.stderr.write(`\n[persist] ${signal}: stopping scenario workers and removing everything labelled with run ${runId}…\n`);
    const script = fileURLToPath(new URL('./sweep-after-interrupt.ts', import.meta.url));
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const result = spawnSync(process.execPath, ['--import', tsxLoader, script, runId, String(process.pid)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: SWEEP_TIMEOUT_MS,
    });
    if (result.status !== 0) {
      process.stderr.write(`[persist] cleanup did not finish; run \`persist clean --run ${runId}\`.\n`);
    }
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
