// Progress lines go straight to stderr (not console.log, which vitest collects per test), so
// a user watching `persist run` or CI logs sees each step as it happens.
const started = performance.now();

export function progress(line: string): void {
  if (process.env.PERSIST_QUIET === '1') return;
  const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[persist ${elapsed}s] ${line}\n`);
}
