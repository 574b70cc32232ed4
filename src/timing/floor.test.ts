import { describe, expect, test } from 'vitest';
import { mysqlStatementMs, overheadOf, postgresStatementMs, serverStartMs, timedLines } from './floor.ts';

const LOGS = [
  '2026-11-30T20:00:00.100000000Z LOG:  starting PostgreSQL 15',
  '2026-11-30T20:00:00.250500000Z LOG:  database system is ready to accept connections',
  '2026-11-30T20:00:01.000000000Z LOG:  duration: 0.250 ms  parse <unnamed>: SELECT 1',
  '2026-11-30T20:00:01.001000000Z LOG:  duration: 1.500 ms  execute <unnamed>: SELECT md5(…)',
  'not a log line',
].join('\n');

describe("a recovery's physical floor", () => {
  test('timestamped log lines, the server start from first line to ready, statement durations in a window', () => {
    const lines = timedLines(LOGS);
    expect(lines).toHaveLength(4);
    const start = serverStartMs(lines, /ready to accept connections/)!;
    expect(start.readyMs - start.firstMs).toBeCloseTo(150.5, 3);
    expect(postgresStatementMs(lines, Date.parse('2026-11-30T20:00:00.500Z'), Date.parse('2026-11-30T20:00:02Z'))).toBe(1.75);
    expect(postgresStatementMs(lines, Date.parse('2026-11-30T20:00:01Z') + 0.5, Date.parse('2026-11-30T20:00:02Z'))).toBe(1.5);
    expect(serverStartMs(lines, /never printed/)).toBeUndefined();
  });

  test("MySQL's slow log: every statement's Query_time", () => {
    expect(mysqlStatementMs('# Query_time: 0.000500  Lock_time: 0\nSELECT 1;\n# Query_time: 0.002000\n')).toBeCloseTo(2.5, 6);
  });

  test('overhead: what the harness measured beyond the floor, a floor never counted above its phase', () => {
    const result = overheadOf([
      { phase: 'create', measuredMs: 500, floorMs: 400, floorIs: 'engine' },
      { phase: 'ready', measuredMs: 300, floorMs: 350, floorIs: 'server' },
      { phase: 'verified', measuredMs: 40, floorMs: 10, floorIs: 'queries' },
    ]);
    expect(result).toEqual({ recoveryMs: 840, floorMs: 710, overheadMs: 130, overheadPercent: 15.5 });
  });
});
