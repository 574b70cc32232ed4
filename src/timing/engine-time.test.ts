import { describe, expect, test } from 'vitest';
import { engineTimeMs } from './engine-time.ts';

describe("the engine's times", () => {
  test('nanosecond strings keep their fraction of a millisecond', () => {
    expect(engineTimeMs('2026-12-07T17:29:29.896690995Z')).toBeCloseTo(Date.parse('2026-12-07T17:29:29.896Z') + 0.690995, 6);
    expect(engineTimeMs('2026-12-07T17:29:29Z')).toBe(Date.parse('2026-12-07T17:29:29Z'));
    expect(engineTimeMs('2026-12-07T18:29:29.5+01:00')).toBe(Date.parse('2026-12-07T17:29:29.500Z'));
  });

  test('the zero time of a container that never ran or never exited is no time at all, nor is anything else', () => {
    expect(engineTimeMs('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(engineTimeMs('')).toBeUndefined();
    expect(engineTimeMs('yesterday')).toBeUndefined();
  });
});
