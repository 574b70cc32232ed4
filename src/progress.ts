// Progress goes straight to stderr (not console.log, which vitest collects per test), so a
// user watching `persist run` or CI logs sees each step as it happens. In CI, or whenever
// stderr is not a terminal, each step is a plain line; on a terminal the current step is one
// live line, rewritten in place, under the lines of the tests already done.
import { stopwatch } from './timing/clock.ts';
export type ProgressMode = 'live' | 'plain' | 'quiet';

const started = stopwatch();

export function progressMode(facts: { isTTY: boolean; ci: boolean; quiet: boolean }): ProgressMode {
  if (facts.quiet) return 'quiet';
  return facts.isTTY && !facts.ci ? 'live' : 'plain';
}

let chosenMode: ProgressMode | undefined;

/** The mode `persist run` chose, adopted by its scenario workers with the rest of its settings. */
export function useProgressMode(mode: ProgressMode): void {
  chosenMode = mode;
}

/** The chosen mode; plain when nothing chose, quiet with PERSIST_QUIET=1. */
function currentMode(): ProgressMode {
  if (chosenMode) return chosenMode;
  return process.env.PERSIST_QUIET === '1' ? 'quiet' : 'plain';
}

export function progress(line: string): void {
  const mode = currentMode();
  if (mode === 'quiet') return;
  const elapsed = (started.ms() / 1000).toFixed(1).padStart(6);
  const text = `[persist ${elapsed}s] ${line}`;
  if (mode === 'plain') {
    process.stderr.write(`${text}\n`);
    return;
  }
  // Clear the line and rewrite it, cut to the terminal's width so it never wraps.
  const width = process.stderr.columns || 120;
  process.stderr.write(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
}
