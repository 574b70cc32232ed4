// A Barman server folder (barman_home/<server>) as Barman 3 leaves it: base/<backup id>/ holds
// each backup's backup.info (key=value) and, for backup_method postgres or rsync, its data
// directory as plain files; wals/ holds the archive, each segment in a folder named after its
// first 16 characters (history files at its root), compressed as `compression` says but kept
// under its own name (xlog.db records how). `barman recover` copies a backup's data and the WAL it
// needs, and sets a restore_command; persist does the same from the folder, read-only.

import { shellQuote } from '../../terminal/shell-quote.ts';
import { parseSegment } from './wal-archive.ts';

const BACKUP_INFO = /^base\/([^/]+)\/backup\.info$/;

/** Whether a folder's files are a Barman server's: at least one backup's backup.info. */
export function isBarmanServer(names: readonly string[]): boolean {
  return names.some((name) => BACKUP_INFO.test(name));
}

/** The backup.info files of a Barman server folder, with the backup id each belongs to. */
export function backupInfos(names: readonly string[]): Array<{ id: string; file: string }> {
  return names.flatMap((file) => {
    const match = BACKUP_INFO.exec(file);
    return match ? [{ id: match[1]!, file }] : [];
  });
}

/** What persist needs of a backup.info: where its WAL starts and stops, on which timeline, and whether it finished. */
export interface BarmanBackup {
  id: string;
  status: string;
  timeline: number;
  beginLsn: string;
  endLsn: string;
  beginWal: string;
  /** Barman's own clock at the backup's end (the `.backup` history file's STOP TIME is the server's). */
  endTime: Date | undefined;
}

/** A backup.info's fields (key=value lines; Python's repr for strings with newlines). */
export function parseBackupInfo(id: string, text: string): BarmanBackup {
  const fields = new Map(
    text.split('\n').flatMap((line) => {
      const at = line.indexOf('=');
      return at > 0 ? [[line.slice(0, at), line.slice(at + 1)] as const] : [];
    }),
  );
  const endTime = fields.get('end_time');
  return {
    id,
    status: fields.get('status') ?? '',
    timeline: Number(fields.get('timeline') ?? 1),
    beginLsn: fields.get('begin_xlog') ?? '',
    endLsn: fields.get('end_xlog') ?? '',
    beginWal: fields.get('begin_wal') ?? '',
    endTime: endTime && endTime !== 'None' ? new Date(endTime.replace(' ', 'T')) : undefined,
  };
}

/** The newest backup that finished (status DONE); backup ids are times, so they sort. */
export function newestDone(backups: readonly BarmanBackup[]): BarmanBackup | undefined {
  return backups
    .filter((backup) => backup.status === 'DONE')
    .sort((a, b) => a.id.localeCompare(b.id))
    .at(-1);
}

/** The archive's segments (wals/<first 16>/<segment>), named as parseSegment reads them. */
export function barmanSegments(names: readonly string[]): Array<{ name: string; file: string }> {
  return names.flatMap((file) => {
    const match = /^wals\/[0-9A-F]{16}\/([0-9A-F]{24})$/.exec(file);
    return match && parseSegment(match[1]!) ? [{ name: match[1]!, file }] : [];
  });
}

/** The compressions xlog.db records (name, size, time, compression per line) that persist cannot unpack: gzip's family and none it can. */
export function unreadCompressions(xlogDb: string): string[] {
  const readable = new Set(['gzip', 'pigz', 'pygzip', 'None', '']);
  const used = xlogDb.split('\n').flatMap((line) => {
    const compression = line.split('\t')[3]?.trim();
    return compression !== undefined && !readable.has(compression) ? [compression] : [];
  });
  return [...new Set(used)];
}

/** Unpacks file "$f" to "$to" where it is gzip'd (by its first bytes: Barman keeps the segment's own name), else copies it. */
const unpackOrCopy = `case "$(od -An -N2 -tx1 "$f")" in *"1f 8b"*) gunzip -c "$f" > "$to" ;; *) cp "$f" "$to" ;; esac`;

/** A shell snippet that sets WAL to /tmp/wal, the archive's segments there under their own names, unpacked where Barman gzip'd them. */
export function barmanWal(server: string): string {
  return `mkdir -p /tmp/wal && for f in ${shellQuote(`${server}/wals`)}/*/*; do to="/tmp/wal/$(basename "$f")"; ${unpackOrCopy} || exit 1; done; WAL=/tmp/wal`;
}

/**
 * A copied data directory the server can write: a backup kept read-only (mode 0400, as a copy
 * nobody may change is kept) copies so, and the server opens global/pg_control for writing.
 */
export const OWNER_WRITES = (dataDirectory: string) => `chmod -R u+rwX ${shellQuote(dataDirectory)}`;

/** Where the restored data keeps the WAL copied for it, as barman recover names it. */
export const BARMAN_WAL = 'barman_wal';

/**
 * A shell script for a one-off container, as `barman recover` does it: the newest backup that
 * finished copied into the data directory (owners and modes kept), and the archive's WAL from the
 * backup's first segment on, with the history files, into barman_wal/ in it, unpacked. The server
 * replays from that copy: Barman's own files are its user's, mode 0600. Prints the backup's id last.
 */
export function copyNewestBackup(server: string, dataDirectory: string): string {
  const base = shellQuote(`${server}/base`);
  const wals = shellQuote(`${server}/wals`);
  const into = shellQuote(`${dataDirectory}/${BARMAN_WAL}`);
  const newest = `id=$(cd ${base} && for d in */; do d=\${d%/}; grep -qx 'status=DONE' "$d/backup.info" 2>/dev/null && echo "$d"; done | sort | tail -n 1)`;
  const checks = `[ -n "$id" ] || { echo 'the Barman server folder holds no backup with status=DONE'; exit 1; }; [ -d ${base}/"$id"/data ] || { echo "backup $id has no data folder (backup_method postgres or rsync keep one)"; exit 1; }`;
  // Segments are named timeline, then place: from the backup's place on, any timeline.
  const needed = `begin=$(sed -n 's/^begin_wal=//p' ${base}/"$id"/backup.info); ls ${wals}/*/* ${wals}/*.history 2>/dev/null | awk -v b="$begin" '{ n = $0; sub(".*/", "", n); if (n ~ /history$/ || substr(n, 9, 16) >= substr(b, 9, 16)) print }'`;
  const copyWal = `mkdir -p ${into} && ${needed} | while read -r f; do to=${into}/"$(basename "$f")"; ${unpackOrCopy} || exit 1; done`;
  return `${newest}; ${checks}; cp -a ${base}/"$id"/data/. ${shellQuote(dataDirectory)}/ && ${OWNER_WRITES(dataDirectory)} && ${copyWal} && echo "$id"`;
}

/** The restore_command that fetches a file from the WAL copied into the data directory, as barman recover writes it. */
export function barmanRestoreCommand(dataDirectory: string): string {
  return `cp ${dataDirectory}/${BARMAN_WAL}/%f "%p"`;
}
