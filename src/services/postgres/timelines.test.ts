import { describe, expect, it } from 'vitest';
import { historyEntries, historyName, historyTimeline, newestTimeline, timelineAt, timelinePath } from './timelines.ts';
import { parseSegment, runPieces, segmentOf, unbrokenRun, windowOf } from './wal-archive.ts';

// As PostgreSQL 17 wrote it here after a restore to a time, promoted.
const HISTORY_2 = '1\t0/5000148\tbefore 2026-12-08 03:40:12.345678+00\n';
const HISTORY_3 = `${HISTORY_2}2\t0/8000000\tno recovery target specified\n`;
const indexOf = (lsn: string) => parseSegment(segmentOf(lsn, 1))!.index;

describe('the timelines of a WAL archive', () => {
  it('reads history files by name and by their lines', () => {
    expect(historyTimeline('00000002.history')).toBe(2);
    expect(historyTimeline('0000000A.history.gz')).toBe(10);
    expect(historyTimeline('000000020000000000000005')).toBeUndefined();
    expect(historyName(10)).toBe('0000000A.history');
    expect(historyEntries(HISTORY_3)).toEqual([
      { parent: 1, switchLsn: '0/5000148' },
      { parent: 2, switchLsn: '0/8000000' },
    ]);
  });

  it('follows the histories from the backup’s timeline as recovery asks for them, stopping at the first missing', () => {
    expect(newestTimeline(new Set([2, 3]), 1)).toBe(3);
    expect(newestTimeline(new Set([3]), 1)).toBe(1);
    expect(newestTimeline(new Set(), 2)).toBe(2);
  });

  it('reads the segment holding a switch from the child, and each segment from the newest timeline begun by then', () => {
    const path = timelinePath(1, 3, historyEntries(HISTORY_3), indexOf);
    expect(path).toEqual([
      { timeline: 1, fromIndex: Number.NEGATIVE_INFINITY },
      { timeline: 2, fromIndex: 5 },
      { timeline: 3, fromIndex: 8 },
    ]);
    expect([4, 5, 7, 8, 9].map((index) => timelineAt(path, index))).toEqual([1, 2, 2, 3, 3]);
    // A backup taken on timeline 2 goes from there; one on a timeline the newest does not descend from stays on its own.
    expect(timelinePath(2, 3, historyEntries(HISTORY_3), indexOf).map((branch) => branch.timeline)).toEqual([2, 3]);
    expect(timelinePath(4, 3, historyEntries(HISTORY_3), indexOf)).toEqual([{ timeline: 4, fromIndex: Number.NEGATIVE_INFINITY }]);
  });

  it('runs across the switch, and a segment missing on the new timeline is a gap there even where the old one has it', () => {
    const path = timelinePath(1, 2, historyEntries(HISTORY_2), indexOf);
    const archive = [
      ...['02', '03', '04', '05', '06', '07'].map((n) => `0000000100000000000000${n}`),
      ...['05', '06', '07'].map((n) => `0000000200000000000000${n}`),
    ];
    const run = unbrokenRun(archive, '000000010000000000000002', undefined, path)!;
    expect(run).toEqual({ first: '000000010000000000000002', last: '000000020000000000000007', gap: null });
    expect(runPieces(run, path)).toEqual([
      { first: '000000010000000000000002', last: '000000010000000000000004' },
      { first: '000000020000000000000005', last: '000000020000000000000007' },
    ]);
    const holed = archive.filter((name) => name !== '000000020000000000000006');
    expect(unbrokenRun(holed, '000000010000000000000002', undefined, path)).toEqual({
      first: '000000010000000000000002',
      last: '000000020000000000000005',
      gap: { missing: '000000020000000000000006', resumesAt: '000000020000000000000007' },
    });
  });

  it('names a timeline without its history file as a gap where the run ends, with the commits it holds', () => {
    const run = unbrokenRun(['000000010000000000000002', '000000010000000000000003'], '000000010000000000000002')!;
    const at = (iso: string) => new Date(iso);
    const window = windowOf(run, at('2026-12-08T03:40:10.000Z'), [at('2026-12-08T03:40:12.000Z')], [], {
      history: '00000002.history',
      firstSegment: '000000020000000000000003',
      commits: 4,
    });
    expect(window.gaps).toEqual([
      { missing: '00000002.history', lastReachable: '2026-12-08T03:40:12.000Z', resumesAt: '000000020000000000000003', unreachableCommits: 4 },
    ]);
  });
});
