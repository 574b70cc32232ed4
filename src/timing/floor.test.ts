import { describe, expect, test } from 'vitest';
import { mysqlStatementMs, overheadOf, postgresStatementMsBetween, startFloorMs, timedLines } from './floor.ts';

const LOGS = [
  '2026-11-30T20:00:00.100000000Z LOG:  starting PostgreSQL 15',
  '2026-11-30T20:00:00.250500000Z LOG:  database system is ready to accept connections',
  '2026-11-30T20:00:00.900000000Z LOG:  duration: 0.100 ms  statement: SELECT 1 AS persist_bench_verify_begins',
  '2026-11-30T20:00:01.000000000Z LOG:  duration: 0.250 ms  parse <unnamed>: SELECT 1',
  '2026-11-30T20:00:01.001000000Z LOG:  duration: 1.500 ms  execute <unnamed>: SELECT md5(…)',
  // Stamped before the line above (stdout and stderr are copied apart): order, not time, decides.
  '2026-11-30T20:00:01.000500000Z LOG:  duration: 0.200 ms  statement: SELECT 1 AS persist_bench_verify_ends',
  '2026-11-30T20:00:02.000000000Z LOG:  duration: 9.000 ms  statement: SELECT later',
  'not a log line',
].join('\n');
const CREATED_AT = Date.parse('2026-11-30T20:00:00.050Z');

describe("a recovery's physical floor, each on one clock", () => {
  test('timestamped log lines keep the nanoseconds; untimed lines are left out', () => {
    const lines = timedLines(LOGS);
    expect(lines).toHaveLength(7);
    expect(lines[1]!.atMs - lines[0]!.atMs).toBeCloseTo(150.5, 3);
  });

  test("the start: the engine's create event to the last ready line, both the engine's clock", () => {
    const lines = timedLines(LOGS);
    expect(startFloorMs(CREATED_AT, lines, /ready to accept connections/)).toBeCloseTo(200.5, 3);
    expect(startFloorMs(CREATED_AT, lines, /never printed/)).toBeUndefined();
    // A ready line stamped before the create cannot be read from one clock: no figure, not a negative one.
    expect(startFloorMs(Date.parse('2026-11-30T20:00:00.300Z'), lines, /ready to accept connections/)).toBeUndefined();
  });

  test('the statements between two marker statements, by their order in the log', () => {
    const lines = timedLines(LOGS);
    expect(postgresStatementMsBetween(lines, 'persist_bench_verify_begins', 'persist_bench_verify_ends')).toBeCloseTo(1.75, 6);
    expect(postgresStatementMsBetween(lines, 'persist_bench_verify_begins', 'not there')).toBeUndefined();
  });

  test("MySQL's slow log: every statement's Query_time", () => {
    expect(mysqlStatementMs('# Query_time: 0.000500  Lock_time: 0\nSELECT 1;\n# Query_time: 0.002000\n')).toBeCloseTo(2.5, 6);
  });

  test('overhead: what the harness measured beyond the floor, a floor never counted above its phase, a floor not read never invented', () => {
    expect(
      overheadOf([
        { phase: 'create + ready', measuredMs: 800, floorMs: 750, floorIs: 'engine' },
        { phase: 'verified', measuredMs: 40, floorMs: 10, floorIs: 'queries' },
      ]),
    ).toEqual({ recoveryMs: 840, floorMs: 760, overheadMs: 80, overheadPercent: 9.5 });
    expect(overheadOf([{ phase: 'create + ready', measuredMs: 300, floorMs: 350, floorIs: 'engine' }])?.overheadMs).toBe(0);
    expect(
      overheadOf([
        { phase: 'create + ready', measuredMs: 800, floorMs: 750, floorIs: 'engine' },
        { phase: 'verified', measuredMs: 40, floorMs: undefined, floorIs: 'queries' },
      ]),
    ).toBeUndefined();
  });
});
