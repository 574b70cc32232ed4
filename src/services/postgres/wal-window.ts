// The window a WAL archive gives a base backup, read the way PostgreSQL would replay it: from the
// segment the backup's manifest starts its WAL in, segment after segment until one is missing;
// the commit times from the image's own pg_waldump; the earliest point from the backup's
// `.backup` history file. What lies past a gap is counted too: it is what the gap costs.
import { shellQuote } from '../../terminal/shell-quote.ts';
import { HarnessError, UsageError } from '../../errors.ts';
import type { ArchiveReader, ArchiveWindow } from '../artifact-kits.ts';
import { backupStopTime, commitTimes, manifestWalRanges, parseSegment, segmentOf, unbrokenRun, windowOf } from './wal-archive.ts';

export async function readWalWindow(reader: ArchiveReader): Promise<ArchiveWindow> {
  const manifest = await reader.artifactFile('backup_manifest').catch(() => {
    throw new UsageError(
      'The base backup has no backup_manifest, which says where its WAL starts in the archive.',
      'Take the base backup with pg_basebackup 13 or later (it writes one by default).',
    );
  });
  const range = manifestWalRanges(manifest)[0];
  if (!range) throw new HarnessError('The base backup’s backup_manifest records no WAL range.', 'Take the base backup again with pg_basebackup.');
  const base = segmentOf(range.startLsn, range.timeline);
  if (reader.files.some((file) => parseSegment(file)?.compression))
    throw new UsageError(
      'The archive holds compressed segments, which persist does not read yet.',
      'Verify a copy of the archive with its segments decompressed (gunzip, zstd -d).',
    );
  const run = unbrokenRun(reader.files, base);
  if (!run)
    throw new UsageError(
      `The archive holds no segment ${base}, where the base backup's WAL starts: it is another server's archive, or it lost its first segments.`,
      'Give --archive the folder archive_command wrote this server’s WAL to.',
    );
  const history = reader.files.find((file) => file.startsWith(`${base}.`) && file.endsWith('.backup'));
  const stop = history ? backupStopTime(await reader.archiveFile(history)) : undefined;
  const commits = async (first: string, last: string) =>
    commitTimes((await reader.inServerImage(`exec pg_waldump --rmgr=Transaction -p ${shellQuote(reader.archivePath)} ${first} ${last} 2>&1`)).output);
  const reachable = await commits(run.first, run.last);
  const beyond = run.gap ? await commits(run.gap.resumesAt, lastSegment(reader.files, range.timeline)) : [];
  return windowOf(run, stop, reachable, beyond);
}

function lastSegment(files: readonly string[], timeline: number): string {
  const segments = files.flatMap((file) => {
    const segment = parseSegment(file);
    return segment && segment.timeline === timeline ? [segment] : [];
  });
  return segments.sort((a, b) => a.index - b.index).at(-1)!.name;
}
