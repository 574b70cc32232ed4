import { describe, expect, test } from 'vitest';
import { DAY_MS, deletedByFindMtime, describeAge, expectedRetention, SIMULATED_AGES_MS } from './rotation.ts';

describe("the rotating script's retention (find -mtime +7)", () => {
  test('whole days rounded down: 7 d 23 h is kept, 8 d is deleted', () => {
    expect(deletedByFindMtime(7 * DAY_MS + 23 * 3_600_000, 7)).toBe(false);
    expect(deletedByFindMtime(8 * DAY_MS, 7)).toBe(true);
    expect(deletedByFindMtime(0, 7)).toBe(false);
  });

  test('the planted history has archives on both sides of the boundary', () => {
    const archives = SIMULATED_AGES_MS.map((ageMs) => ({ name: describeAge(ageMs), ageMs }));
    expect(expectedRetention(archives, 7)).toEqual({ kept: ['1 d', '6 d 23 h', '7 d 20 h'], deleted: ['10 d', '30 d', '8 d 1 h'] });
  });
});
