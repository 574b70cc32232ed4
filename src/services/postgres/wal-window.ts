// The window a WAL archive gives a base backup, read the way PostgreSQL would replay it: from the
// segment the backup's manifest starts its WAL in, segment after segment until one is missing;
// the commit times from the image's own pg_waldump, from the backup's start on; the earliest
// point from the backup's `.backup` history file. What lies past a gap is counted too: it is what
// the gap costs. Segments archive_command compressed with gzip are read through gunzip, as a
// restore_command would; zstd and lz4 are not read yet.
import { shellQuote } from '../../terminal/shell-quote.ts';
import { HarnessError, UsageError } from '../../errors.ts';
import type { ArchiveReader, ArchiveReading } from '../artifact-kits.ts';
import { backupStopTime, commitTimes, manifestWalRanges, parseSegment, segmentOf, unbrokenRun, windowOf } from './wal-archive.ts';

export async function readWalWindow(reader: ArchiveReader): Promise<ArchiveReading> {
  const manifest = await reader.artifactFile('backup_manifest').catch(() => {
    throw new UsageError(
      'The base backup has no backup_manifest, which says where its WAL starts in the archive.',
      'Take the base backup with pg_basebackup 13 or later (it writes one by default).',
    );
  });
  const range = manifestWalRanges(manifest)[0];
  if (!range) throw new HarnessError('The base backup’s backup_manifest records no WAL range.', 'Take the base backup again with pg_basebackup.');
  const base = segmentOf(range.startLsn, range.timeline);
  const unread = reader.files.map((file) => parseSegment(file)?.compression).find((compression) => compression && compression !== 'gzip');
  if (unread)
    throw new UsageError(
      `The archive holds ${unread}-compressed segments, which persist does not read yet (gzip it reads).`,
      `Verify a copy of the archive with its segments decompressed (${unread === 'zstd' ? 'zstd -d' : 'lz4 -d'}).`,
    );
  const run = unbrokenRun(reader.files, base);
  if (!run)
    throw new UsageError(
      `The archive holds no segment ${base}, where the base backup's WAL starts: it is another server's archive, or it lost its first segments.`,
      'Give --archive the folder archive_command wrote this server’s WAL to.',
    );
  const history = reader.files.find((file) => file.startsWith(`${base}.`) && file.endsWith('.backup'));
  const stop = history ? backupStopTime(await reader.archiveFile(history)) : undefined;
  const commits = async (first: string, last: string, from?: string) =>
    commitTimes((await reader.inServerImage(waldumpScript(reader.archivePath, first, last, from))).output);
  // From the backup's start: the commits before it in its first segment are the backup's own data.
  const reachable = await commits(run.first, run.last, range.startLsn);
  const beyond = run.gap ? await commits(run.gap.resumesAt, lastSegment(reader.files, range.timeline)) : [];
  return { window: windowOf(run, stop, reachable, beyond), commitTimes: reachable, replayFrom: range.startLsn };
}

/** The image's pg_waldump over segments first to last (from an LSN in the first). */
function waldumpScript(archivePath: string, first: string, last: string, from?: string): string {
  return `${readableWal(archivePath)} && exec pg_waldump --rmgr=Transaction${from ? ` -s ${shellQuote(from)}` : ''} -p "$WAL" ${first} ${last} 2>&1`;
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
