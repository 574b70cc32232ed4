// What a recovery is physically made of, each part read from one clock: the engine's (its event
// timestamps and the timestamps it gives a container's log lines, both the daemon's), or the
// server's own statement timings. Never one of them against the harness's clock: the harness
// measures its phases on its own, and what it measures beyond these floors is its overhead.
// Pure functions over the engine's and server's output, so each has a unit test.
import { engineTimeMs } from './engine-time.ts';

export interface TimedLine {
  atMs: number;
  text: string;
}

/** `docker logs --timestamps` output: each line after its RFC 3339 nanosecond timestamp. */
export function timedLines(logs: string): TimedLine[] {
  return logs.split('\n').flatMap((line) => {
    const space = line.indexOf(' ');
    const atMs = space > 0 ? engineTimeMs(line.slice(0, space)) : undefined;
    return atMs === undefined ? [] : [{ atMs, text: line.slice(space + 1) }];
  });
}

/**
 * From the engine's `create` event to the server's ready line (the last one: a first start
 * prints it twice), both on the engine's clock. Undefined when there is no ready line, or when
 * it is stamped before the create: one clock cannot give that, so the figure is not made up.
 */
export function startFloorMs(createdAtMs: number, lines: TimedLine[], readyMarker: RegExp): number | undefined {
  const ready = lines.findLast((line) => readyMarker.test(line.text));
  return ready && ready.atMs >= createdAtMs ? ready.atMs - createdAtMs : undefined;
}

/**
 * PostgreSQL with log_min_duration_statement=0: the sum of every statement's logged duration
 * between the line that names `begin` and the one that names `end`, told apart by their order in
 * the log, not by any clock.
 */
export function postgresStatementMsBetween(lines: TimedLine[], begin: string, end: string): number | undefined {
  const from = lines.findIndex((line) => line.text.includes(begin));
  const to = lines.findIndex((line, index) => index > from && line.text.includes(end));
  if (from < 0 || to < 0) return undefined;
  return lines
    .slice(from + 1, to)
    .map((line) => /duration: ([\d.]+) ms/.exec(line.text)?.[1])
    .filter((ms): ms is string => ms !== undefined)
    .reduce((sum, ms) => sum + Number(ms), 0);
}

/** MySQL's slow log with long_query_time=0: the sum of every `# Query_time:` (seconds). */
export function mysqlStatementMs(slowLog: string): number {
  return [...slowLog.matchAll(/# Query_time: ([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]) * 1000, 0);
}

export interface PhaseFloor {
  phase: 'create + ready' | 'verified';
  measuredMs: number;
  /** Undefined where the floor could not be read from its clock. */
  floorMs: number | undefined;
  /** What the floor is made of, for the printout. */
  floorIs: string;
}

export interface Overhead {
  recoveryMs: number;
  floorMs: number;
  overheadMs: number;
  overheadPercent: number;
}

/** What the harness measured beyond the floor; undefined when a phase's floor could not be read (never guessed). */
export function overheadOf(phases: PhaseFloor[]): Overhead | undefined {
  if (phases.some((p) => p.floorMs === undefined)) return undefined;
  const recoveryMs = phases.reduce((sum, p) => sum + p.measuredMs, 0);
  // A floor above its phase (the log line stamped after the harness already had its answer) leaves no overhead there.
  const floorMs = phases.reduce((sum, p) => sum + Math.min(p.floorMs ?? 0, p.measuredMs), 0);
  const overheadMs = recoveryMs - floorMs;
  return { recoveryMs, floorMs, overheadMs, overheadPercent: recoveryMs === 0 ? 0 : Math.round((overheadMs / recoveryMs) * 1000) / 10 };
}
