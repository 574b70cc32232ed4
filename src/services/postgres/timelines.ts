// The timelines of a WAL archive. A point-in-time recovery that promotes starts a new timeline:
// it writes `0000000N.history` (each ancestor and the LSN where its child branched off) and
// archives the new timeline's segments beside the old one's. Recovery (recovery_target_timeline
// 'latest', the default since PostgreSQL 12) asks the archive for the history of the next
// timeline, and the next, until one is missing; it then replays the old timeline's segments up
// to the switch and the new one's from there. A timeline whose history file is gone cannot be
// followed: its WAL is in the archive and unreachable. This module reads names and text only.

/** One timeline on the way recovery goes, and the first segment read from it. */
export interface Branch {
  timeline: number;
  /** The segment (counted as parseSegment counts) from which this timeline's files are read; the first branch reads from any. */
  fromIndex: number;
}

const HISTORY = /^([0-9A-F]{8})\.history(\.gz)?$/;

/** The timeline a `.history` file (plain or gzip'd by archive_command) belongs to, or undefined for any other file. */
export function historyTimeline(file: string): number | undefined {
  const match = HISTORY.exec(file);
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

/** The history file's name for a timeline, as PostgreSQL asks for it. */
export function historyName(timeline: number): string {
  return `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`;
}

/** A `.history` file's lines: each ancestor timeline and the LSN where the next one branched off it, oldest first. */
export function historyEntries(text: string): Array<{ parent: number; switchLsn: string }> {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+([0-9A-F]{1,8}\/[0-9A-F]{1,8})/i.exec(line);
    return match ? [{ parent: Number(match[1]), switchLsn: match[2]!.toUpperCase() }] : [];
  });
}

/** The newest timeline recovery follows from `start`: it asks for start+1's history, start+2's…, and stops at the first missing. */
export function newestTimeline(held: ReadonlySet<number>, start: number): number {
  let newest = start;
  while (held.has(newest + 1)) newest += 1;
  return newest;
}

/**
 * The branches recovery goes along to `newest`, from its history's entries; just the start's
 * timeline where the newest one is not its descendant (recovery refuses that history).
 */
export function timelinePath(
  start: number,
  newest: number,
  entries: ReadonlyArray<{ parent: number; switchLsn: string }>,
  segmentOfLsn: (lsn: string) => number,
): Branch[] {
  if (newest === start) return [{ timeline: start, fromIndex: Number.NEGATIVE_INFINITY }];
  const branches: Branch[] = [];
  let fromIndex = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    branches.push({ timeline: entry.parent, fromIndex });
    // The segment holding the switch is read from the child: it has the parent's WAL up to it.
    fromIndex = segmentOfLsn(entry.switchLsn);
  }
  branches.push({ timeline: newest, fromIndex });
  const onIt = branches.findIndex((branch) => branch.timeline === start);
  if (onIt < 0) return [{ timeline: start, fromIndex: Number.NEGATIVE_INFINITY }];
  return [{ timeline: start, fromIndex: Number.NEGATIVE_INFINITY }, ...branches.slice(onIt + 1)];
}

/** The timeline a segment is read from on this path. */
export function timelineAt(path: readonly Branch[], index: number): number {
  let timeline = path[0]!.timeline;
  for (const branch of path) if (branch.fromIndex <= index) timeline = branch.timeline;
  return timeline;
}
