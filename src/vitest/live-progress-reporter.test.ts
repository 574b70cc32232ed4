import { describe, expect, test } from 'vitest';
import { progressMode } from '../progress.ts';
import { doneLine, formatElapsed } from './live-progress-reporter.ts';

describe('progress', () => {
  test('plain lines in CI or without a terminal, a live display on a terminal, nothing when quiet', () => {
    expect(progressMode({ isTTY: true, ci: false, quiet: false })).toBe('live');
    expect(progressMode({ isTTY: true, ci: true, quiet: false })).toBe('plain');
    expect(progressMode({ isTTY: false, ci: false, quiet: false })).toBe('plain');
    expect(progressMode({ isTTY: true, ci: false, quiet: true })).toBe('quiet');
  });

  test('each finished test: done of all, its verdict, its name, time elapsed', () => {
    expect(doneLine(3, 23, 'passed', 'backup > PostgreSQL: native dump', 65_400)).toBe('[persist]  3/23 ✓ backup > PostgreSQL: native dump (1:05 elapsed)');
    expect(doneLine(23, 23, 'failed', 'x', 600_000)).toBe('[persist] 23/23 ✗ x (10:00 elapsed)');
    expect(formatElapsed(59_600)).toBe('1:00');
  });
});
