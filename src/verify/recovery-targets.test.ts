import { describe, expect, it } from 'vitest';
import type { ArchiveWindow } from '../services/artifact-kits.ts';
import { newerThanTarget, parseTarget, planTarget, windowPromiseProblems } from './recovery-targets.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const window: ArchiveWindow = { base: 'x', segments: 5, start: '2026-12-07T10:00:00.000Z', end: '2026-12-07T11:00:00.000Z', commits: 9, gaps: [] };

describe('--at', () => {
  it('reads RFC 3339 with its zone, and times back from now; anything else is one sentence', () => {
    expect(parseTarget('2026-12-07T10:31:00+01:00', NOW).toISOString()).toBe('2026-12-07T09:31:00.000Z');
    expect(parseTarget('-2h', NOW).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(parseTarget('-30m', NOW).toISOString()).toBe('2026-12-07T11:30:00.000Z');
    expect(() => parseTarget('yesterday', NOW)).toThrow('--at yesterday is not a time persist reads.');
    expect(() => parseTarget('2026-12-07 10:31', NOW)).toThrow(/not a time/);
  });

  it('a time inside the window is replayed to; past an unbroken end it is the end; before the backup or past a gap it cannot be reached', () => {
    expect(planTarget(new Date('2026-12-07T10:30:00Z'), window)).toMatchObject({ kind: 'time' });
    expect(planTarget(new Date('2026-12-07T11:30:00Z'), window)).toMatchObject({ kind: 'end', why: expect.stringMatching(/^past the archive's last commit/) });
    expect(planTarget(new Date('2026-12-07T09:00:00Z'), window)).toMatchObject({
      kind: 'unreachable',
      problem: "--at 2026-12-07T09:00:00.000Z is before the base backup's end (2026-12-07T10:00:00.000Z): no restore of this backup reaches it.",
    });
    const holed = {
      ...window,
      gaps: [{ missing: '000000010000000000000007', lastReachable: window.end, resumesAt: '000000010000000000000008', unreachableCommits: 3 }],
    };
    expect(planTarget(new Date('2026-12-07T11:30:00Z'), holed)).toMatchObject({
      kind: 'unreachable',
      problem:
        '--at 2026-12-07T11:30:00.000Z cannot be reached: the archive can be replayed only to 2026-12-07T11:00:00.000Z, where 000000010000000000000007 is missing.',
    });
  });

  it('a restore holding a row newer than its target did not stop there', () => {
    const at = new Date('2026-12-07T10:30:00Z');
    expect(newerThanTarget(at, '2026-12-07T10:29:59Z')).toBeUndefined();
    expect(newerThanTarget(at, null)).toBeUndefined();
    expect(newerThanTarget(at, '2026-12-07T10:31:00Z')).toMatch(/holds a row from 2026-12-07T10:31:00Z, after the target/);
  });
});

describe('what x-persist promises of an archive', () => {
  it('a window shorter than promised, and a recovery point older than promised, are each a problem with the figures', () => {
    expect(windowPromiseProblems(window, { windowMs: 30 * 60_000, rpoMs: 2 * 3_600_000 }, NOW)).toEqual([]);
    expect(windowPromiseProblems(window, { windowMs: 7 * 86_400_000, rpoMs: 5 * 60_000 }, NOW)).toEqual([
      "The archive's window spans 1h, less than the 7d promised (verify.window.atLeast).",
      'The latest point the archive reaches is 1h ago (2026-12-07T11:00:00.000Z), more than the 5m promised (verify.rpo).',
    ]);
    expect(windowPromiseProblems({ start: null, end: null }, { windowMs: 60_000, rpoMs: 60_000 }, NOW)).toEqual([
      "The archive's window spans nothing persist could date, less than the 1m promised (verify.window.atLeast).",
      'The latest point the archive reaches is unknown, more than the 1m promised (verify.rpo).',
    ]);
  });
});
