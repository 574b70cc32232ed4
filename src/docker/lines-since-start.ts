// Which lines of `docker logs --timestamps` a container printed since its current start. The
// engine's own times do not draw that line: it stamps State.StartedAt after the process runs, so
// a first line is often stamped before it (seen here: 5 to 37 ms), and it takes State.FinishedAt
// from containerd while still draining the output, so a last line can be stamped after it (7 ms).
// What does separate two runs is the restart between them, hundreds of milliseconds on which
// neither run prints: the boundary is the middle of the gap between the last exit and this start.
import { engineTimeMs } from '../timing/engine-time.ts';

/**
 * The lines of the run that started at `startedAt`. `previousFinishedAt` is what inspect shows
 * while the container runs: its last exit, or the zero time when it never exited (then every
 * line is this run's).
 */
export function linesSinceStart(lines: readonly string[], startedAt: string, previousFinishedAt: string): string[] {
  const finished = engineTimeMs(previousFinishedAt);
  if (finished === undefined) return [...lines];
  const started = engineTimeMs(startedAt);
  const boundary = started !== undefined && started > finished ? finished + (started - finished) / 2 : finished;
  return lines.filter((line) => (engineTimeMs(line.slice(0, line.indexOf(' '))) ?? Number.POSITIVE_INFINITY) > boundary);
}

/** The earliest whole second whose lines can belong to the current run: what `docker logs --since` takes. */
export function sinceSecondOf(previousFinishedAt: string): number {
  const finished = engineTimeMs(previousFinishedAt);
  return finished === undefined ? 0 : Math.floor(finished / 1000);
}
