// A PostgreSQL WAL archive as `archive_command` leaves it: one file per 16 MiB segment, named
// TTTTTTTTLLLLLLLLSSSSSSSS (timeline, then the segment's place in the WAL, in hex), plus the
// `.backup` history files a base backup leaves and the `.history` files of timeline switches.
// Recovery replays segments in order and stops at the first one it cannot fetch: a missing
// segment ends the window there, whatever the archive holds after it. This module reads the
// names and the tools' output only; nothing here runs a server.

import type { ArchiveWindow } from '../artifact-kits.ts';
import { type Branch, timelineAt } from './timelines.ts';

/** The default WAL segment size (`initdb --wal-segsize` changes it; the backup's control file says which). */
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

const SEGMENT = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\.gz|\.zst|\.lz4)?$/;

export interface WalSegment {
  name: string;
  timeline: number;
  /** Its place in the WAL, counted in segments from the start. */
  index: number;
  compression: 'gzip' | 'zstd' | 'lz4' | null;
}

/** A segment file's timeline and place, or undefined for any other file (history, backup label, partial). */
export function parseSegment(file: string, segmentBytes = DEFAULT_SEGMENT_BYTES): WalSegment | undefined {
  const match = SEGMENT.exec(file);
  if (!match) return undefined;
  const perLog = 0x1_0000_0000 / segmentBytes;
  const suffix = match[4];
  return {
    name: `${match[1]}${match[2]}${match[3]}`,
    timeline: Number.parseInt(match[1]!, 16),
    index: Number.parseInt(match[2]!, 16) * perLog + Number.parseInt(match[3]!, 16),
    compression: suffix === '.gz' ? 'gzip' : suffix === '.zst' ? 'zstd' : suffix === '.lz4' ? 'lz4' : null,
  };
}

/** The name of the segment holding an LSN (`0/2000120`) on a timeline. */
export function segmentOf(lsn: string, timeline: number, segmentBytes = DEFAULT_SEGMENT_BYTES): string {
  const [high, low] = lsn.split('/').map((part) => Number.parseInt(part, 16));
  return nameOf(timeline, high! * (0x1_0000_0000 / segmentBytes) + Math.floor(low! / segmentBytes), segmentBytes);
}

/** The WAL a base backup needs to be consistent, as its `backup_manifest` records it. */
export interface WalRange {
  timeline: number;
  startLsn: string;
  endLsn: string;
}

/** The WAL ranges of a `backup_manifest` (PostgreSQL 13 and later); none where it records none. */
export function manifestWalRanges(manifest: string): WalRange[] {
  const parsed = JSON.parse(manifest) as { 'WAL-Ranges'?: Array<{ Timeline: number; 'Start-LSN': string; 'End-LSN': string }> };
  return (parsed['WAL-Ranges'] ?? []).map((range) => ({ timeline: range.Timeline, startLsn: range['Start-LSN'], endLsn: range['End-LSN'] }));
}

/** How far replay can go from a segment: the last segment of the unbroken run, and the first one missing after it (if any file lies beyond). */
export interface Run {
  first: string;
  last: string;
  /** The segment recovery asks for and the archive lacks, with the first segment the archive holds after it. */
  gap: { missing: string; resumesAt: string } | null;
}

/**
 * The unbroken run from `from` on, each segment read from the timeline the path gives it (one
 * timeline unless told). Undefined where the archive lacks `from` itself: nothing from the
 * backup on can be replayed.
 */
export function unbrokenRun(files: readonly string[], from: string, segmentBytes = DEFAULT_SEGMENT_BYTES, path?: readonly Branch[]): Run | undefined {
  const start = parseSegment(from, segmentBytes);
  if (!start) return undefined;
  const way = path ?? [{ timeline: start.timeline, fromIndex: Number.NEGATIVE_INFINITY }];
  const held = new Map<string, WalSegment>();
  for (const file of files) {
    const segment = parseSegment(file, segmentBytes);
    if (segment) held.set(`${segment.timeline}:${segment.index}`, segment);
  }
  const onPath = (i: number) => held.get(`${timelineAt(way, i)}:${i}`);
  if (!onPath(start.index)) return undefined;
  let index = start.index;
  while (onPath(index + 1)) index += 1;
  const beyond = [...held.values()]
    .filter((segment) => segment.index > index + 1 && segment.timeline === timelineAt(way, segment.index))
    .map((segment) => segment.index)
    .sort((a, b) => a - b)[0];
  const nameAt = (i: number) => onPath(i)?.name ?? nameOf(timelineAt(way, i), i, segmentBytes);
  return {
    first: start.name,
    last: nameAt(index),
    gap: beyond === undefined ? null : { missing: nameAt(index + 1), resumesAt: nameAt(beyond) },
  };
}

/** The run cut where the path changes timeline: each piece's first and last segment, for a tool that reads one timeline. */
export function runPieces(run: Pick<Run, 'first' | 'last'>, path: readonly Branch[]): Array<{ first: string; last: string }> {
  const first = parseSegment(run.first)!;
  const last = parseSegment(run.last)!;
  const pieces: Array<{ first: string; last: string }> = [];
  for (let index = first.index; index <= last.index; index += 1) {
    const timeline = timelineAt(path, index);
    const name = nameOf(timeline, index, DEFAULT_SEGMENT_BYTES);
    const piece = pieces.at(-1);
    if (piece && parseSegment(piece.last)!.timeline === timeline) piece.last = name;
    else pieces.push({ first: name, last: name });
  }
  return pieces;
}

function nameOf(timeline: number, index: number, segmentBytes: number): string {
  const perLog = 0x1_0000_0000 / segmentBytes;
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
  return `${hex(timeline)}${hex(Math.floor(index / perLog))}${hex(index % perLog)}`;
}

/** An LSN (`0/2000120`) as a number: the WAL's byte position. */
export function lsnValue(lsn: string): number {
  const [high, low] = lsn.split('/').map((part) => Number.parseInt(part, 16));
  return high! * 0x1_0000_0000 + low!;
}

/** A commit as pg_waldump prints it: where it lies, when (to the ms), and when to the microsecond PostgreSQL keeps. */
export interface CommitRecord {
  lsn: string;
  at: Date;
  /** Microseconds since the epoch: a time target is compared with this, not with the ms a Date keeps. */
  us: number;
}

/** The commits `pg_waldump --rmgr=Transaction` prints, in WAL order. */
export function commitRecords(waldump: string): CommitRecord[] {
  return [
    ...waldump.matchAll(/lsn: ([0-9A-F]+\/[0-9A-F]+), prev [^,]*, desc: COMMIT (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d+))? (UTC|[+-]\d\d(?::?\d\d)?)/g),
  ].map(([, lsn, second, fraction = '', zone]) => {
    const secondMs = Date.parse(`${second!.replace(' ', 'T')}${zone === 'UTC' ? 'Z' : zone}`);
    const us = secondMs * 1_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
    return { lsn: lsn!, at: new Date(Math.floor(us / 1_000)), us };
  });
}

/** The commit times `pg_waldump --rmgr=Transaction` prints, in WAL order. */
export function commitTimes(waldump: string): Date[] {
  return commitRecords(waldump).map((commit) => commit.at);
}

/** The `.backup` history file's STOP TIME, to the second the file keeps. */
export function backupStopTime(history: string): Date | undefined {
  const stop = /^STOP TIME: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (UTC|[+-]\d\d(?::?\d\d)?)$/m.exec(history);
  return stop ? new Date(`${stop[1]!.replace(' ', 'T')}${stop[2] === 'UTC' ? 'Z' : stop[2]}`) : undefined;
}

/**
 * The earliest time a recovery can be asked to stop at: the end of the second the backup stopped
 * in (its history keeps the second, cut down: the backup's own rows may be from later in it), or
 * the last commit the backup itself spans (before its stop LSN) where that is later. A time target
 * stops replay at the first commit after it; one inside the backup would stop before the data is
 * consistent. Without a stop time (no history file), just before the first commit after the
 * backup: a replay to then stops before it, with the backup's data and nothing more.
 */
export function earliestTarget(stop: Date | undefined, commits: ReadonlyArray<Pick<CommitRecord, 'lsn' | 'at'>>, stopLsn: string): Date | undefined {
  const within = commits.filter((commit) => lsnValue(commit.lsn) < lsnValue(stopLsn)).at(-1)?.at;
  const stopped = stop ? new Date(stop.getTime() + 1_000) : commits.find((commit) => lsnValue(commit.lsn) >= lsnValue(stopLsn))?.at;
  const beforeFirst = stop === undefined && stopped ? new Date(stopped.getTime() - 1) : stopped;
  if (beforeFirst === undefined) return within;
  return within && within.getTime() > beforeFirst.getTime() ? within : beforeFirst;
}

/** A timeline in the archive that recovery cannot follow: its history file is missing. */
export interface OrphanTimeline {
  history: string;
  /** Its first segment in the archive, and the commits its segments hold. */
  firstSegment: string;
  commits: number;
}

/**
 * The window from the unbroken run, the backup's stop time, and the commit times before and
 * after its gap; a timeline recovery cannot follow is a gap too, where the run ends.
 */
export function windowOf(run: Run, stop: Date | undefined, reachable: readonly Date[], beyond: readonly Date[], orphan?: OrphanTimeline): ArchiveWindow {
  const first = parseSegment(run.first)!;
  const last = parseSegment(run.last)!;
  const end = reachable.at(-1)?.toISOString() ?? null;
  return {
    base: run.first,
    segments: last.index - first.index + 1,
    start: stop?.toISOString() ?? null,
    end,
    commits: reachable.length,
    gaps: [
      ...(run.gap ? [{ missing: run.gap.missing, lastReachable: end, resumesAt: run.gap.resumesAt, unreachableCommits: beyond.length }] : []),
      ...(orphan && !run.gap ? [{ missing: orphan.history, lastReachable: end, resumesAt: orphan.firstSegment, unreachableCommits: orphan.commits }] : []),
    ],
  };
}

/**
 * The segment file whose loss a restore must notice: the middle of the run replayable from the
 * backup, never its first (without which nothing replays). Undefined where the run is one segment.
 */
export function middleSegmentFile(files: readonly string[], window: Pick<ArchiveWindow, 'base' | 'segments'>, path?: readonly Branch[]): string | undefined {
  const base = parseSegment(window.base);
  if (!base || window.segments < 2) return undefined;
  const index = base.index + Math.max(1, Math.floor(window.segments / 2));
  const timeline = path ? timelineAt(path, index) : base.timeline;
  return files.find((file) => {
    const segment = parseSegment(file);
    return segment?.timeline === timeline && segment.index === index;
  });
}

/**
 * The archive's last commit at or before `at`: PostgreSQL's replay to a time stops after it
 * (recovery_target_inclusive), before the next. Compared to the microsecond: a commit later in
 * the same millisecond as the target is after it.
 */
export function lastCommitBy(at: Date, commits: ReadonlyArray<Pick<CommitRecord, 'at' | 'us'>>): Date | null {
  let last: Date | null = null;
  for (const commit of commits) if (commit.us <= at.getTime() * 1_000) last = commit.at;
  return last;
}
