// A pgBackRest repository as the team's pgbackrest writes it (its repo1-path): the newest backup's
// facts in backup/<stanza>/backup.info, the WAL under archive/<stanza>/<db-id>/<timeline+log>/,
// each segment named <segment>-<sha1>, compressed as the repository's compress-type said. persist
// restores it with the image's own pgbackrest, as its user guide restores: `restore --type=default`
// to the archive's end, `--type=time --target-action=promote` to a time (a time target pauses by
// default). The repository is only read: mounted read-only, the lock in the container's /tmp.
import { postgresTime } from '../../timing/time-forms.ts';
import { UsageError } from '../../errors.ts';
import { shellQuote } from '../../terminal/shell-quote.ts';
import type { DataDirectoryFiller, RestoreStep } from '../artifact-kits.ts';
import { lastLines } from '../../terminal/last-lines.ts';

const BACKUP_INFO = /^backup\/([^/]+)\/backup\.info$/;
/** A segment as the repository keeps it: its name, the checksum pgbackrest appends, the compression's ending. */
const REPOSITORY_SEGMENT = /^archive\/([^/]+)\/[^/]+\/[0-9A-F]{16}\/([0-9A-F]{24})-[0-9a-f]{40}(\.gz|\.lz4|\.zst|\.bz2)?$/;

/** The stanzas a repository holds, by their backup.info. */
export function stanzasOf(names: readonly string[]): string[] {
  return names.flatMap((name) => BACKUP_INFO.exec(name)?.[1] ?? []);
}

/** The one stanza persist restores; a repository of several is one sentence. */
export function stanzaOf(names: readonly string[]): string {
  const stanzas = stanzasOf(names);
  if (stanzas.length === 1) return stanzas[0]!;
  throw new UsageError(
    stanzas.length === 0
      ? 'The pgBackRest repository holds no backup/<stanza>/backup.info.'
      : `The pgBackRest repository holds ${stanzas.length} stanzas (${stanzas.join(', ')}).`,
    stanzas.length === 0
      ? 'Give --from the folder pgbackrest writes to (its repo1-path).'
      : 'Verify a copy with the one stanza to verify, or restore it with your own --restore command.',
  );
}

export interface PgBackRestBackup {
  label: string;
  /** The segment and LSN its WAL starts at: where replay starts. */
  archiveStart: string;
  lsnStart: string;
  /** Where its data is consistent. */
  lsnStop: string;
  /** When it stopped, to the second pgbackrest keeps. */
  stopMs: number;
}

/** The newest backup of backup.info's [backup:current] (the one `restore` takes by default); undefined where it lists none. */
export function newestBackup(backupInfo: string): PgBackRestBackup | undefined {
  const section = /^\[backup:current\]\n([\s\S]*?)(?:\n\[|$)/m.exec(backupInfo)?.[1] ?? '';
  const backups = section
    .split('\n')
    .map((line) => /^([^=]+)=(\{.*\})$/.exec(line))
    .flatMap((match) => (match ? [{ label: match[1]!, facts: JSON.parse(match[2]!) as Record<string, unknown> }] : []))
    .sort((a, b) => a.label.localeCompare(b.label));
  const newest = backups.at(-1);
  if (!newest) return undefined;
  return {
    label: newest.label,
    archiveStart: String(newest.facts['backup-archive-start']),
    lsnStart: String(newest.facts['backup-lsn-start']),
    lsnStop: String(newest.facts['backup-lsn-stop']),
    stopMs: Number(newest.facts['backup-timestamp-stop']) * 1_000,
  };
}

/** Whether the repository is encrypted (repo1-cipher-type): its files cannot be read without the passphrase. */
export const encrypted = (backupInfo: string) => /^\[cipher\]$/m.test(backupInfo) || /^cipher-pass=/m.test(backupInfo);

/** The stanza's archived segments: each as the WAL reading names it (its compression's ending kept), with its path in the repository. */
export function repositorySegments(names: readonly string[], stanza: string): Array<{ name: string; file: string }> {
  return names.flatMap((file) => {
    const match = REPOSITORY_SEGMENT.exec(file);
    return match && match[1] === stanza ? [{ name: `${match[2]}${match[3] === '.bz2' ? '' : (match[3] ?? '')}`, file }] : [];
  });
}

/** A shell snippet that sets WAL to /tmp/wal, the stanza's segments there under their own names, unpacked as pgbackrest compressed them. */
export function repositoryWal(repository: string, stanza: string): string {
  const each = `n=$(basename "$f"); s=\${n%%-*}; case "$n" in *.gz) gunzip -c "$f" > "/tmp/wal/$s" ;; *.bz2) bzip2 -dc "$f" > "/tmp/wal/$s" ;; *.lz4) lz4 -dc "$f" > "/tmp/wal/$s" ;; *.zst) zstd -dc "$f" > "/tmp/wal/$s" ;; *) ln -s "$f" "/tmp/wal/$s" ;; esac`;
  return `mkdir -p /tmp/wal && for f in ${shellQuote(`${repository}/archive/${stanza}`)}/*/*/*; do ${each} || exit 1; done; WAL=/tmp/wal`;
}

/** The newest backup set's label, by the folders backup/<stanza>/<label>/backup.manifest (labels sort by time). */
export function newestSet(names: readonly string[], stanza: string): string | undefined {
  const prefix = `backup/${stanza}/`;
  return names
    .filter((name) => name.startsWith(prefix) && name.endsWith('/backup.manifest'))
    .map((name) => name.slice(prefix.length, -'/backup.manifest'.length))
    .filter((label) => !label.includes('/'))
    .sort()
    .at(-1);
}

/** `pgbackrest restore` of the newest backup into the data directory: to the archive's end, or to the filler's time, then promoted. */
export async function pgBackRestRestore(filler: DataDirectoryFiller, dataDirectory: string): Promise<RestoreStep> {
  const stanza = stanzaOf(filler.names);
  // The newest set by name, as the window was read from: pgbackrest would pick one by the target's time.
  const set = newestSet(filler.names, stanza);
  const target = filler.recoveryTarget ? ['--type=time', `--target=${postgresTime(filler.recoveryTarget)}`, '--target-action=promote'] : ['--type=default'];
  const options = [
    `--stanza=${stanza}`,
    `--repo1-path=${filler.archivePath}`,
    `--pg1-path=${dataDirectory}`,
    ...(set ? [`--set=${set}`] : []),
    '--lock-path=/tmp/pgbackrest',
    '--log-level-console=warn',
    '--log-level-file=off',
    // pgBackRest retries a file that fails, 15 s apart: a verification wants the first error.
    '--job-retry=0',
    // The throwaway must not push its WAL into the repository it was restored from.
    '--archive-mode=off',
    ...target,
  ];
  const command = `pgbackrest ${options.join(' ')} restore`;
  const result = await filler.inServerImage(
    `command -v pgbackrest >/dev/null || { echo 'this image has no pgbackrest: verify with an image that has it (--image), or your own --restore'; exit 127; }; exec pgbackrest ${options.map(shellQuote).join(' ')} restore 2>&1`,
  );
  return { command, ok: result.exitCode === 0, ...(result.exitCode === 0 ? {} : { detail: `exit ${result.exitCode}: ${lastLines(result.output, 3)}` }) };
}
