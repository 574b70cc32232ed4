// The window a WAL archive gives a base backup, read the way PostgreSQL would replay it: from the
// segment the backup's WAL starts in, segment after segment until one is missing; the commit times
// from the image's own pg_waldump, from the backup's start on; the earliest point from when the
// backup stopped. What lies past a gap is counted too: it is what the gap costs. Two sources: a
// folder archive_command writes (the backup's backup_manifest and `.backup` file say where and
// when; gzip'd segments read through gunzip, zstd and lz4 not yet), and a pgBackRest repository
// (its backup.info says, its segments unpacked as pgbackrest compressed them).
import { shellQuote } from '../../terminal/shell-quote.ts';
import { HarnessError, UsageError } from '../../errors.ts';
import type { ArchiveReader, ArchiveReading } from '../artifact-kits.ts';
import {
  DEFAULT_SEGMENT_BYTES,
  type OrphanTimeline,
  backupStopTime,
  commitRecords,
  earliestTarget,
  lastCommitBy,
  manifestWalRanges,
  middleSegmentFile,
  parseSegment,
  runPieces,
  segmentOf,
  unbrokenRun,
  windowOf,
} from './wal-archive.ts';
import { type Branch, historyEntries, historyName, historyTimeline, newestTimeline, timelinePath } from './timelines.ts';
import { backupInfos, barmanSegments, barmanWal, newestDone, parseBackupInfo, unreadCompressions } from './barman.ts';
import { encrypted, newestBackup, repositorySegments, repositoryWal, stanzaOf } from './pgbackrest.ts';

/** Where replay starts and when the backup stopped, the archive's segments, and how the image's tools read them. */
interface WalSource {
  timeline: number;
  startLsn: string;
  /** Where the backup's data is consistent, and when it stopped (to the second). */
  stopLsn: string;
  stop: Date | undefined;
  /** Each segment as parseSegment reads its name, with its file in the archive folder. */
  segments: ReadonlyArray<{ name: string; file: string }>;
  /** The timelines' history files in the archive. */
  histories: ReadonlyArray<{ timeline: number; file: string }>;
  /** A shell snippet that sets WAL to a folder of the segments, uncompressed, under their own names. */
  readable: string;
}

/** The timelines' history files among an archive's files (by their base names: pgBackRest keeps them in a folder per version). */
function historiesIn(files: readonly string[]): WalSource['histories'] {
  return files.flatMap((file) => {
    const timeline = historyTimeline(file.slice(file.lastIndexOf('/') + 1));
    return timeline === undefined ? [] : [{ timeline, file }];
  });
}

/** The window of a folder `archive_command` writes, beside a pg_basebackup. */
export async function readWalWindow(reader: ArchiveReader): Promise<ArchiveReading> {
  const manifest = await reader.artifactFile('backup_manifest').catch(() => {
    throw new UsageError(
      'The base backup has no backup_manifest, which says where its WAL starts in the archive.',
      'Take the base backup with pg_basebackup 13 or later (it writes one by default).',
    );
  });
  const range = manifestWalRanges(manifest)[0];
  if (!range) throw new HarnessError('The base backup’s backup_manifest records no WAL range.', 'Take the base backup again with pg_basebackup.');
  const unread = reader.files.map((file) => parseSegment(file)?.compression).find((compression) => compression && compression !== 'gzip');
  if (unread)
    throw new UsageError(
      `The archive holds ${unread}-compressed segments, which persist does not read yet (gzip it reads).`,
      `Verify a copy of the archive with its segments decompressed (${unread === 'zstd' ? 'zstd -d' : 'lz4 -d'}).`,
    );
  const base = segmentOf(range.startLsn, range.timeline);
  // archive_command compresses the backup's history file as it does the segments.
  const history = reader.files.find((file) => file.startsWith(`${base}.`) && /\.backup(\.gz)?$/.test(file));
  return windowFromWal(reader, {
    timeline: range.timeline,
    startLsn: range.startLsn,
    stopLsn: range.endLsn,
    stop: history ? backupStopTime(await reader.archiveFile(history)) : undefined,
    segments: reader.files.filter((file) => parseSegment(file)).map((file) => ({ name: file, file })),
    histories: historiesIn(reader.files),
    readable: readableWal(reader.archivePath),
  });
}

/** The window of a pgBackRest repository's newest backup and the stanza's archive, both in the repository. */
export async function readPgBackRestWindow(reader: ArchiveReader): Promise<ArchiveReading> {
  const stanza = stanzaOf(reader.files);
  const info = await reader.archiveFile(`backup/${stanza}/backup.info`);
  if (encrypted(info))
    throw new UsageError('The pgBackRest repository is encrypted, which persist does not read yet.', 'Verify it with your own --restore command.');
  const backup = newestBackup(info);
  if (!backup) throw new UsageError(`The pgBackRest repository's stanza ${stanza} holds no backup.`, 'Verify a repository your backups were written to.');
  return windowFromWal(reader, {
    timeline: parseSegment(backup.archiveStart)!.timeline,
    startLsn: backup.lsnStart,
    stopLsn: backup.lsnStop,
    stop: new Date(backup.stopMs),
    segments: repositorySegments(reader.files, stanza),
    histories: historiesIn(reader.files.filter((file) => file.startsWith(`archive/${stanza}/`))),
    readable: repositoryWal(reader.archivePath, stanza),
  });
}

/** The window of a Barman server folder's newest finished backup and its wals/ archive. */
export async function readBarmanWindow(reader: ArchiveReader): Promise<ArchiveReading> {
  const infos = await Promise.all(backupInfos(reader.files).map(async (info) => parseBackupInfo(info.id, await reader.archiveFile(info.file))));
  const backup = newestDone(infos);
  if (!backup)
    throw new UsageError('The Barman server folder holds no backup with status=DONE.', 'Verify a server folder a backup finished in (barman list-backups).');
  if (reader.files.includes('wals/xlog.db')) {
    const unread = unreadCompressions(await reader.archiveFile('wals/xlog.db'));
    if (unread.length > 0)
      throw new UsageError(
        `The Barman archive holds WAL compressed with ${unread.join(', ')}, which persist does not unpack yet (gzip it does).`,
        'Verify it with your own --restore command (barman recover).',
      );
  }
  const segments = barmanSegments(reader.files);
  // The server's own record of when the backup stopped, archived beside the segments (Barman's end_time is its own clock).
  const history = reader.files.find((file) => file.startsWith(`wals/${backup.beginWal.slice(0, 16)}/${backup.beginWal}.`) && file.endsWith('.backup'));
  return windowFromWal(reader, {
    timeline: backup.timeline,
    startLsn: backup.beginLsn,
    stopLsn: backup.endLsn,
    stop: history ? backupStopTime(await reader.archiveFile(history)) : undefined,
    segments,
    histories: historiesIn(reader.files.filter((file) => file.startsWith('wals/'))),
    readable: barmanWal(reader.archivePath),
  });
}

async function windowFromWal(reader: ArchiveReader, source: WalSource): Promise<ArchiveReading> {
  const base = segmentOf(source.startLsn, source.timeline);
  const names = source.segments.map((segment) => segment.name);
  const path = await pathOf(reader, source);
  const run = unbrokenRun(names, base, DEFAULT_SEGMENT_BYTES, path);
  if (!run)
    throw new UsageError(
      `The archive holds no segment ${base}, where the base backup's WAL starts: it is another server's archive, or it lost its first segments.`,
      'Give --archive the folder archive_command wrote this server’s WAL to.',
    );
  const commits = async (first: string, last: string, from?: string) =>
    commitRecords((await reader.inServerImage(waldumpScript(source.readable, first, last, from))).output);
  // pg_waldump reads one timeline: the run piece by piece, the first from the backup's start (the
  // commits before it in its first segment are the backup's own data).
  const pieces = runPieces(run, path);
  const reachable = (await Promise.all(pieces.map((piece, i) => commits(piece.first, piece.last, i === 0 ? source.startLsn : undefined)))).flat();
  const beyond = run.gap ? await commits(run.gap.resumesAt, lastSegment(names, parseSegment(run.gap.resumesAt)!.timeline)) : [];
  const orphan = orphanTimeline(names, path);
  const window = windowOf(
    run,
    earliestTarget(source.stop, reachable, source.stopLsn),
    reachable.map((commit) => commit.at),
    beyond.map((commit) => commit.at),
    orphan && { ...orphan, commits: (await commits(orphan.firstSegment, lastSegment(names, orphan.timeline))).length },
  );
  const timelines = pieces.map((piece) => parseSegment(piece.first)!.timeline);
  const spare = middleSegmentFile(names, window, path);
  return {
    window: timelines.length > 1 ? { ...window, timelines } : window,
    lastCommitBy: (at) => lastCommitBy(at, reachable),
    replayFrom: source.startLsn,
    ...(spare ? { spare: source.segments.find((segment) => segment.name === spare)!.file } : {}),
  };
}

/** The way recovery goes through the archive's timelines from the backup's: the newest one's history says where each branched off. */
async function pathOf(reader: ArchiveReader, source: WalSource): Promise<Branch[]> {
  const newest = newestTimeline(new Set(source.histories.map((history) => history.timeline)), source.timeline);
  if (newest === source.timeline) return timelinePath(source.timeline, newest, [], () => 0);
  const history = source.histories.find((each) => each.timeline === newest)!;
  const entries = historyEntries(await reader.archiveFile(history.file));
  return timelinePath(source.timeline, newest, entries, (lsn) => parseSegment(segmentOf(lsn, 1))!.index);
}

/** The first timeline past the path's newest whose segments are in the archive: recovery cannot follow it without its history file. */
function orphanTimeline(names: readonly string[], path: readonly Branch[]): (Omit<OrphanTimeline, 'commits'> & { timeline: number }) | undefined {
  const newest = path.at(-1)!.timeline;
  const timeline = names
    .map((name) => parseSegment(name)!.timeline)
    .filter((each) => each > newest)
    .sort((a, b) => a - b)[0];
  if (timeline === undefined) return undefined;
  const first = names.filter((name) => parseSegment(name)!.timeline === timeline).sort()[0]!;
  return { timeline, history: historyName(newest + 1), firstSegment: first };
}

/** The image's pg_waldump over segments first to last (from an LSN in the first). */
function waldumpScript(readable: string, first: string, last: string, from?: string): string {
  return `${readable} && exec pg_waldump --rmgr=Transaction${from ? ` -s ${shellQuote(from)}` : ''} -p "$WAL" ${first} ${last} 2>&1`;
}

/**
 * A shell snippet that sets WAL to a folder of the archive's segments the image's tools read:
 * the archive itself, or, where archive_command gzip'd them, /tmp/wal in the one-off container
 * with them unpacked (the archive stays read-only and untouched).
 */
export function readableWal(archivePath: string): string {
  const archive = shellQuote(archivePath);
  const unpack = `mkdir -p /tmp/wal && for f in ${archive}/*; do n=$(basename "$f"); case "$n" in *.gz) gunzip -c "$f" > "/tmp/wal/\${n%.gz}" ;; *) ln -s "$f" "/tmp/wal/$n" ;; esac; done`;
  return `if ls ${archive}/*.gz >/dev/null 2>&1; then ${unpack} && WAL=/tmp/wal; else WAL=${archive}; fi`;
}

function lastSegment(files: readonly string[], timeline: number): string {
  const segments = files.flatMap((file) => {
    const segment = parseSegment(file);
    return segment && segment.timeline === timeline ? [segment] : [];
  });
  return segments.sort((a, b) => a.index - b.index).at(-1)!.name;
}
