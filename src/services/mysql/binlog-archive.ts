// MariaDB's binary logs as a team keeps them beside a mariadb-backup: the server's files
// <base>.000001, <base>.000002… (with `--log-bin`) copied to a folder, and the position the backup
// recorded (`xtrabackup_binlog_info` in 10.11, `mariadb_backup_binlog_info` in 11.8: file,
// position, GTID). Replay starts there and runs file after file; mariadb-binlog does not notice a
// file missing from the sequence, so the window ends at the first one missing. The logs keep
// each event's time to the second. This module reads names and the tools' output only.
import type { ArchiveWindow } from '../artifact-kits.ts';

/** Where the backup's binary log position is recorded, by the version that wrote it. */
export const BINLOG_INFO_FILES = ['mariadb_backup_binlog_info', 'xtrabackup_binlog_info'] as const;

export interface BinlogPosition {
  file: string;
  position: number;
}

/** The file and position a backup's binlog_info records; undefined where it records none (the server ran without --log-bin). */
export function binlogPosition(info: string): BinlogPosition | undefined {
  const match = /^(\S+\.\d{6})\s+(\d+)/m.exec(info);
  return match ? { file: match[1]!, position: Number(match[2]) } : undefined;
}

/** `mysql-bin.000002` as its base name and number. */
export function parseBinlog(file: string): { base: string; number: number } | undefined {
  const match = /^(.+)\.(\d{6})$/.exec(file);
  return match ? { base: match[1]!, number: Number(match[2]) } : undefined;
}

const binlogName = (base: string, number: number) => `${base}.${String(number).padStart(6, '0')}`;

/** The files replay reads from the backup's on, without a break, and the first one missing (with the next one held) where there is a gap. */
export function binlogRun(files: readonly string[], from: string): { files: string[]; gap: { missing: string; resumesAt: string } | null } | undefined {
  const start = parseBinlog(from);
  if (!start) return undefined;
  const held = new Set(files.flatMap((file) => (parseBinlog(file)?.base === start.base ? [parseBinlog(file)!.number] : [])));
  if (!held.has(start.number)) return undefined;
  let last = start.number;
  while (held.has(last + 1)) last += 1;
  const beyond = [...held].filter((number) => number > last + 1).sort((a, b) => a - b)[0];
  return {
    files: Array.from({ length: last - start.number + 1 }, (_, i) => binlogName(start.base, start.number + i)),
    gap: beyond === undefined ? null : { missing: binlogName(start.base, last + 1), resumesAt: binlogName(start.base, beyond) },
  };
}

/** The commits `mariadb-binlog` prints (run with TZ=UTC): each transaction's Xid event, and each DDL's GTID event, to the second. */
export function binlogCommits(output: string): Date[] {
  return [...output.matchAll(/^#(\d\d)(\d\d)(\d\d) +(\d{1,2}):(\d\d):(\d\d) server id \d+ +end_log_pos \d+.*\t(?:Xid = \d+|GTID \S+ ddl)/gm)].map(
    ([, yy, mm, dd, h, mi, s]) => new Date(`20${yy}-${mm}-${dd}T${h!.padStart(2, '0')}:${mi}:${s}Z`),
  );
}

/** The backup's end, as its `*_info` file's end_time says (the tool's clock, UTC in the images), to the second. */
export function backupEndTime(info: string): Date | undefined {
  const match = /^end_time = (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/m.exec(info);
  return match ? new Date(`${match[1]}T${match[2]}Z`) : undefined;
}

/**
 * A time target as mariadb-binlog takes it: --stop-datetime stops at the first event of that
 * second or later, and the logs keep whole seconds, so a time is taken down to its second.
 */
export const binlogStop = (at: Date) => new Date(Math.floor(at.getTime() / 1_000) * 1_000);

/** That second as --stop-datetime takes it (`2026-12-08 00:46:18`, read in the tool's zone: UTC). */
export const binlogStopText = (at: string) => binlogStop(new Date(at)).toISOString().slice(0, 19).replace('T', ' ');

/** The binary logs' last commit a replay to `at` must reach: the last of a second before the one `at` falls in. */
export function lastBinlogCommitBy(at: Date, commits: readonly Date[]): Date | null {
  const stop = binlogStop(at).getTime();
  return commits.filter((commit) => commit.getTime() < stop).at(-1) ?? null;
}

/** The window: from the backup's end to the last commit before the first missing file. */
export function binlogWindow(
  run: NonNullable<ReturnType<typeof binlogRun>>,
  start: Date | undefined,
  reachable: readonly Date[],
  beyond: readonly Date[],
): ArchiveWindow {
  const end = reachable.at(-1);
  return {
    base: run.files[0]!,
    segments: run.files.length,
    start: start?.toISOString() ?? null,
    end: end?.toISOString() ?? null,
    commits: reachable.length,
    gaps: run.gap
      ? [{ missing: run.gap.missing, lastReachable: end?.toISOString() ?? null, resumesAt: run.gap.resumesAt, unreachableCommits: beyond.length }]
      : [],
  };
}
