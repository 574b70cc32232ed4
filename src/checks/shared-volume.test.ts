import { describe, expect, test } from 'vitest';
import { continuesLog } from './shared-volume.ts';

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${from + i} 12:00:00`);

describe('a recreated producer continues the shared log', () => {
  test('every earlier line kept and the numbers go on', () => {
    expect(continuesLog(lines(1, 5), lines(1, 8))).toBe(true);
  });

  test('a producer that started over, skipped a line or wrote nothing new does not', () => {
    expect(continuesLog(lines(1, 5), lines(1, 3))).toBe(false);
    expect(continuesLog(lines(1, 5), [...lines(1, 5), ...lines(7, 8)])).toBe(false);
    expect(continuesLog(lines(1, 5), lines(1, 5))).toBe(false);
  });
});
