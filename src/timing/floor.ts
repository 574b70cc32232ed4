// What a recovery is physically made of, read from the engine and the server rather than timed
// by the harness: the engine's create and start (its event timestamps), the server's own start
// on existing data (its timestamped log, first line to "ready"), and the verifying queries' own
// execution (the server's statement log). What the harness measures beyond these is its
// overhead. Pure functions over the engine's and server's output, so each has a unit test.

export interface TimedLine {
  atMs: number;
  text: string;
}

/** `docker logs --timestamps` output: each line after its RFC 3339 nanosecond timestamp. */
export function timedLines(logs: string): TimedLine[] {
  return logs.split('\n').flatMap((line) => {
    const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z (.*)$/.exec(line);
    if (!match) return [];
    const fraction = Number(`0${match[2] ?? ''}`);
    return [{ atMs: Date.parse(`${match[1]}Z`) + fraction * 1000, text: match[3] ?? '' }];
  });
}

/** From the server's first line to its ready line (the last one: a first start prints it twice). */
export function serverStartMs(lines: TimedLine[], readyMarker: RegExp): { firstMs: number; readyMs: number } | undefined {
  const first = lines[0];
  const ready = lines.findLast((line) => readyMarker.test(line.text));
  return first && ready ? { firstMs: first.atMs, readyMs: ready.atMs } : undefined;
}

/** PostgreSQL with log_min_duration_statement=0: the sum of every statement's logged duration. */
export function postgresStatementMs(lines: TimedLine[], fromMs: number, untilMs: number): number {
  return lines
    .filter((line) => line.atMs >= fromMs && line.atMs <= untilMs)
    .map((line) => /duration: ([\d.]+) ms/.exec(line.text)?.[1])
    .filter((ms): ms is string => ms !== undefined)
    .reduce((sum, ms) => sum + Number(ms), 0);
}

/** MySQL's slow log with long_query_time=0: the sum of every `# Query_time:` (seconds). */
export function mysqlStatementMs(slowLog: string): number {
  return [...slowLog.matchAll(/# Query_time: ([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]) * 1000, 0);
}

export interface PhaseFloor {
  phase: 'create' | 'ready' | 'verified';
  measuredMs: number;
  floorMs: number;
  /** What the floor is made of, for the printout. */
  floorIs: string;
}

export function overheadOf(phases: PhaseFloor[]): { recoveryMs: number; floorMs: number; overheadMs: number; overheadPercent: number } {
  const recoveryMs = phases.reduce((sum, p) => sum + p.measuredMs, 0);
  const floorMs = phases.reduce((sum, p) => sum + Math.min(p.floorMs, p.measuredMs), 0);
  const overheadMs = recoveryMs - floorMs;
  return { recoveryMs, floorMs, overheadMs, overheadPercent: recoveryMs === 0 ? 0 : Math.round((overheadMs / recoveryMs) * 1000) / 10 };
}
