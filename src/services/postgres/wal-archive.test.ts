import { describe, expect, it } from 'vitest';
import {
  backupStopTime,
  commitRecords,
  commitTimes,
  earliestTarget,
  lastCommitBy,
  lsnValue,
  manifestWalRanges,
  middleSegmentFile,
  parseSegment,
  segmentOf,
  unbrokenRun,
  windowOf,
} from './wal-archive.ts';

// As archive_command left them here: a base backup at segment 2, writes switching the WAL each second.
const ARCHIVE = [
  '000000010000000000000001',
  '000000010000000000000002',
  '000000010000000000000002.00000028.backup',
  '000000010000000000000003',
  '000000010000000000000004',
  '000000010000000000000005',
  '000000010000000000000006',
  '000000010000000000000007',
  '000000010000000000000008',
  '000000010000000000000009',
  '00000001000000000000000A',
  '00000001000000000000000B',
];

describe('a WAL archive read by its file names', () => {
  it('tells segments from the other files and places them, across the 4 GiB boundary too', () => {
    expect(parseSegment('00000001000000000000000A')).toEqual({ name: '00000001000000000000000A', timeline: 1, index: 10, compression: null });
    expect(parseSegment('0000000200000001000000FF.gz')).toMatchObject({ timeline: 2, index: 256 + 255, compression: 'gzip' });
    expect(parseSegment('000000010000000000000002.00000028.backup')).toBeUndefined();
    expect(parseSegment('00000002.history')).toBeUndefined();
    expect(segmentOf('0/2000120', 1)).toBe('000000010000000000000002');
    expect(segmentOf('1/FF000000', 3)).toBe('0000000300000001000000FF');
  });

  it('runs unbroken from the backup to the last segment, or stops at the first one missing and says where the archive resumes', () => {
    expect(unbrokenRun(ARCHIVE, '000000010000000000000002')).toEqual({ first: '000000010000000000000002', last: '00000001000000000000000B', gap: null });
    const holed = ARCHIVE.filter((name) => name !== '000000010000000000000007' && name !== '000000010000000000000008');
    expect(unbrokenRun(holed, '000000010000000000000002')).toEqual({
      first: '000000010000000000000002',
      last: '000000010000000000000006',
      gap: { missing: '000000010000000000000007', resumesAt: '000000010000000000000009' },
    });
    // Without the backup's own first segment nothing can be replayed.
    expect(unbrokenRun(ARCHIVE.slice(2), '000000010000000000000002')).toBeUndefined();
  });

  it("reads a backup manifest's WAL ranges and pg_waldump's commit times", () => {
    expect(manifestWalRanges(JSON.stringify({ 'WAL-Ranges': [{ Timeline: 1, 'Start-LSN': '0/2000028', 'End-LSN': '0/2000120' }] }))).toEqual([
      { timeline: 1, startLsn: '0/2000028', endLsn: '0/2000120' },
    ]);
    const waldump = [
      'rmgr: Transaction len (rec/tot):     34/    34, tx:        743, lsn: 0/06000028, prev 0/05001D18, desc: COMMIT 2026-12-07 21:52:36.069789 UTC',
      'pg_waldump: error: could not find file "000000010000000000000007": No such file or directory',
    ].join('\n');
    expect(commitTimes(waldump).map((at) => at.toISOString())).toEqual(['2026-12-07T21:52:36.069Z']);
    expect(commitRecords(waldump)).toEqual([
      { lsn: '0/06000028', at: new Date('2026-12-07T21:52:36.069Z'), us: Date.parse('2026-12-07T21:52:36Z') * 1_000 + 69_789 },
    ]);
  });

  it('a time target is never earlier than the end of the second the backup stopped in, nor than a commit the backup itself spans', () => {
    const stop = new Date('2026-12-07T21:52:34Z');
    const commits = [
      { lsn: '0/2000060', at: new Date('2026-12-07T21:52:34.400Z') },
      { lsn: '0/3000028', at: new Date('2026-12-07T21:52:35.100Z') },
    ];
    expect(earliestTarget(stop, commits, '0/2000120')?.toISOString()).toBe('2026-12-07T21:52:35.000Z');
    expect(earliestTarget(new Date('2026-12-07T21:52:33Z'), commits, '0/2000120')?.toISOString()).toBe('2026-12-07T21:52:34.400Z');
    // Without the history file: just before the first commit after the backup.
    expect(earliestTarget(undefined, commits, '0/2000120')?.toISOString()).toBe('2026-12-07T21:52:35.099Z');
    expect(earliestTarget(undefined, commits.slice(0, 1), '0/2000120')?.toISOString()).toBe('2026-12-07T21:52:34.400Z');
    expect(lsnValue('1/FF000000')).toBe(0x1_ff00_0000);
  });
});

describe('the window an archive gives a base backup', () => {
  const at = (iso: string) => new Date(iso);
  it('starts at the backup’s end and ends at the last commit it can replay, each gap named with what lies beyond it', () => {
    const history = 'START TIME: 2026-12-07 21:52:33 UTC\nLABEL: pg_basebackup base backup\nSTOP TIME: 2026-12-07 21:52:34 UTC\n';
    expect(backupStopTime(history)?.toISOString()).toBe('2026-12-07T21:52:34.000Z');
    const holed = ARCHIVE.filter((name) => name !== '000000010000000000000007');
    const window = windowOf(
      unbrokenRun(holed, '000000010000000000000002')!,
      backupStopTime(history),
      [at('2026-12-07T21:52:34.949Z'), at('2026-12-07T21:52:36.069Z')],
      [at('2026-12-07T21:52:38.281Z'), at('2026-12-07T21:52:39.380Z')],
    );
    expect(window).toEqual({
      base: '000000010000000000000002',
      segments: 5,
      start: '2026-12-07T21:52:34.000Z',
      end: '2026-12-07T21:52:36.069Z',
      commits: 2,
      gaps: [{ missing: '000000010000000000000007', lastReachable: '2026-12-07T21:52:36.069Z', resumesAt: '000000010000000000000008', unreachableCommits: 2 }],
    });
  });
});

describe('the segment a damaged copy of the archive lacks', () => {
  it('is the middle of the run the backup replays, never its first; none where the run is one segment', () => {
    const files = [
      '000000010000000000000002',
      '000000010000000000000002.00000028.backup',
      '000000010000000000000003',
      '000000010000000000000004.gz',
      '000000010000000000000005',
    ];
    expect(middleSegmentFile(files, { base: '000000010000000000000002', segments: 4 })).toBe('000000010000000000000004.gz');
    expect(middleSegmentFile(files, { base: '000000010000000000000002', segments: 2 })).toBe('000000010000000000000003');
    expect(middleSegmentFile(files, { base: '000000010000000000000002', segments: 1 })).toBeUndefined();
  });
});

describe('where a replay to a time must stop', () => {
  it('after the archive’s last commit at or before it, to the microsecond', () => {
    const commits = ['10:10', '10:20', '10:40'].map((hm) => ({ at: new Date(`2026-12-07T${hm}:00Z`), us: Date.parse(`2026-12-07T${hm}:00Z`) * 1_000 }));
    expect(lastCommitBy(new Date('2026-12-07T10:30:00Z'), commits)?.toISOString()).toBe('2026-12-07T10:20:00.000Z');
    expect(lastCommitBy(new Date('2026-12-07T10:20:00Z'), commits)?.toISOString()).toBe('2026-12-07T10:20:00.000Z');
    expect(lastCommitBy(new Date('2026-12-07T10:00:00Z'), commits)).toBeNull();
    // 10:40:00.000400 is after a target of 10:40:00.000, though a Date holds both as the same millisecond.
    const later = { at: new Date('2026-12-07T10:40:00.000Z'), us: Date.parse('2026-12-07T10:40:00Z') * 1_000 + 400 };
    expect(lastCommitBy(new Date('2026-12-07T10:40:00.000Z'), [...commits.slice(0, 2), later])?.toISOString()).toBe('2026-12-07T10:20:00.000Z');
  });
});
