import { describe, expect, it } from 'vitest';
import { lastCommitBy } from '../services/postgres/wal-archive.ts';
import type { ArchiveWindow } from '../services/artifact-kits.ts';
import {
  newerThanTarget,
  parsePoints,
  parseTarget,
  planTarget,
  replayProblem,
  targetResult,
  unprovedWindow,
  windowPoints,
  windowPromiseProblems,
} from './recovery-targets.ts';

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

describe('the points that prove a window', () => {
  it('are its start, --points evenly inside it, and its end; none where the window is not dated', () => {
    expect(windowPoints(window, 1).map((plan) => [plan.point, plan.kind, plan.at.toISOString()])).toEqual([
      ['start', 'time', '2026-12-07T10:00:00.000Z'],
      ['between', 'time', '2026-12-07T10:30:00.000Z'],
      ['end', 'end', '2026-12-07T11:00:00.000Z'],
    ]);
    expect(
      windowPoints(window, 3)
        .filter((plan) => plan.point === 'between')
        .map((plan) => plan.at.toISOString().slice(11, 16)),
    ).toEqual(['10:15', '10:30', '10:45']);
    expect(windowPoints(window, 0).map((plan) => plan.point)).toEqual(['start', 'end']);
    expect(windowPoints({ ...window, start: null }, 1)).toEqual([]);
    expect(unprovedWindow(window)).toBeUndefined();
    expect(unprovedWindow({ ...window, end: null })).toMatch(/^The archive holds no commit replayable after the base backup/);
    expect(unprovedWindow({ ...window, start: null })).toMatch(/could not date the window's start/);
    expect(parsePoints('3')).toBe(3);
    expect(() => parsePoints('-1')).toThrow('--points -1 is not a number of points persist restores to.');
    expect(() => parsePoints('21')).toThrow('--points 21 is not a number of points persist restores to.');
  });
});

describe('where a restore to a time must stop', () => {
  const commits = ['10:10', '10:20', '10:40'].map((hm) => new Date(`2026-12-07T${hm}:00Z`));
  const at = new Date('2026-12-07T10:30:00Z');
  const lastBy = (when: Date) =>
    lastCommitBy(
      when,
      commits.map((commit) => ({ at: commit, us: commit.getTime() * 1_000 })),
    );
  it('at the archive’s last commit at or before the target: further did not stop, earlier lost what the archive holds', () => {
    expect(replayProblem(at, '2026-12-07T10:20:00.000123Z', commits[1]!)).toBeUndefined();
    expect(replayProblem(at, '2026-12-07T10:40:00Z', commits[1]!)).toMatch(/committed at 2026-12-07T10:40:00Z, after the target: it did not stop/);
    expect(replayProblem(at, '2026-12-07T10:10:00Z', commits[1]!)).toMatch(
      /stopped at a transaction committed at 2026-12-07T10:10:00Z, though the archive holds one committed at 2026-12-07T10:20:00.000Z/,
    );
    expect(replayProblem(at, null, commits[1]!)).toMatch(/replayed no transaction/);
    expect(replayProblem(new Date('2026-12-07T10:00:00Z'), null, null)).toBeUndefined();
  });

  it('one restore judged: its rows, where it stopped and the replay rate; a server that cannot say how far it replayed is a problem', () => {
    const plan = planTarget(at, window);
    const pass = {
      failure: undefined,
      tables: [{ database: 'shop', table: 'public.orders', rows: 200 }],
      dataAge: null,
      phases: [
        { phase: 'restore' as const, ms: 400 },
        { phase: 'start' as const, ms: 2_000 },
        { phase: 'checks' as const, ms: 100 },
      ],
      replayed: { lastCommit: '2026-12-07T10:20:00.000Z', bytes: 32 * 1024 * 1024 },
    };
    expect(targetResult(plan, pass, lastBy)).toEqual({
      at: '2026-12-07T10:30:00.000Z',
      point: 'asked',
      kind: 'time',
      rows: 200,
      newest: null,
      replayedTo: '2026-12-07T10:20:00.000Z',
      expected: '2026-12-07T10:20:00.000Z',
      recoveryMs: 2_500,
      replay: { bytes: 33_554_432, ms: 2_000, bytesPerSecond: 16_777_216 },
      note: 'replayed to 2026-12-07T10:20:00.000Z',
    });
    const { replayed: _replayed, ...silent } = pass;
    expect(targetResult(plan, silent, lastBy).problem).toBe('The server restored to 2026-12-07T10:30:00.000Z did not say how far it replayed the archive.');
    expect(targetResult(plan, { ...pass, failure: 'the service did not start' }, lastBy)).toMatchObject({
      rows: null,
      problem: expect.stringMatching(/failed: the service did not start$/),
    });
  });
});
