import { describe, expect, test } from 'vitest';
import { judgeCell } from './run-cell.ts';

const before = { employees: { present: true, rows: 3, contentHash: 'aaa' }, readings: { present: true, rows: 10, contentHash: 'bbb' } };

describe("a matrix cell's verdict", () => {
  test('the same fingerprint survives; a cell that expected it passes', () => {
    expect(judgeCell(before, structuredClone(before), 'survives')).toMatchObject({ observed: 'survives', matches: true });
    expect(judgeCell(before, structuredClone(before), 'lost')).toMatchObject({ observed: 'survives', matches: false });
  });

  test('a missing table, a row less or changed content is lost, with the rows counted', () => {
    const gone = judgeCell(before, { employees: before.employees, readings: { present: false, rows: 0, contentHash: null } }, 'survives');
    expect(gone).toMatchObject({ observed: 'lost', matches: false });
    expect(gone.comparison.rowsLost).toBe(10);
    const changed = judgeCell(before, { ...before, readings: { present: true, rows: 10, contentHash: 'ccc' } }, 'lost');
    expect(changed).toMatchObject({ observed: 'lost', matches: true });
  });
});
