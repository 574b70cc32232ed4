// A restore's steps as the evidence records them, apart from the kits' loader so that a kit (which
// the loader imports) can use them without a circle.
import { lastLines } from '../terminal/last-lines.ts';

/** What the restore did, step by step, for the evidence: each command and how it ended. */
export interface RestoreStep {
  command: string;
  ok: boolean;
  detail?: string;
}

/** How a restore step ended, as the evidence says it: its input broken, or its exit code and its own last words. */
export function restoreStep(
  command: string,
  result: { exitCode?: number; stderr: string | Buffer; inputError?: Error },
  said: (stderr: string) => string = (stderr) => lastLines(stderr, 3),
): RestoreStep {
  if (result.inputError) return { command, ok: false, detail: unreadToTheEnd(result.inputError) };
  return result.exitCode === 0 ? { command, ok: true } : { command, ok: false, detail: `exit ${result.exitCode}: ${said(result.stderr.toString())}` };
}

/** The artifact's bytes broke off before the restore had them all (a cut file, a damaged compressed stream). */
export const unreadToTheEnd = (error: Error) => `the artifact could not be read to its end: ${error.message}`;
