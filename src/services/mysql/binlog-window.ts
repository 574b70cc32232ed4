// MariaDB's binary logs beside a mariadb-backup: the window read with the image's own
// mariadb-binlog from the position the backup recorded, and the replay into the restored, running
// server as MariaDB's documentation does point-in-time recovery: `mariadb-binlog --start-position
// [--stop-datetime] <files> | mariadb`. The replay takes the files in sequence itself and stops
// at the first one missing (mariadb-binlog would read on past a gap), so the damaged copy's restore
// tests that too. The logs are read with TZ=UTC: they keep each event's time as a Unix second.
import { shellQuote } from '../../terminal/shell-quote.ts';
import { UsageError } from '../../errors.ts';
import { lastLines } from '../../terminal/last-lines.ts';
import type { ArchiveReader, ArchiveReading, Replayed, ReplayFrom, RestoreStep, RunInServer } from '../artifact-kits.ts';
import {
  BINLOG_INFO_FILES,
  backupEndTime,
  binlogCommits,
  binlogPosition,
  binlogRun,
  binlogStopText,
  binlogWindow,
  lastBinlogCommitBy,
  parseBinlog,
} from './binlog-archive.ts';

const BINLOG_TOOL = 'tool="$(command -v mariadb-binlog || command -v mysqlbinlog)" || { echo "this image has no mariadb-binlog"; exit 127; }';
/** What the replay leaves in the server's container: its last commit's line, and the log bytes it read. */
const REPLAYED = '/tmp/persist-replayed';

async function firstOf(read: (name: string) => Promise<string>, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const text = await read(name).catch(() => undefined);
    if (text !== undefined) return text;
  }
  return undefined;
}

export async function readBinlogWindow(reader: ArchiveReader): Promise<ArchiveReading> {
  const position = binlogPosition((await firstOf(reader.artifactFile, BINLOG_INFO_FILES)) ?? '');
  if (!position)
    throw new UsageError(
      'The mariadb-backup folder records no binary log position (no xtrabackup_binlog_info): the server ran without --log-bin.',
      'Run the server with --log-bin and take the backup again; until then there is nothing to replay.',
    );
  const run = binlogRun(reader.files, position.file);
  if (!run)
    throw new UsageError(
      `The archive holds no ${position.file}, where the backup's replay starts: it is another server's binary logs, or it lost its first files.`,
      "Give --archive the folder the server's binary logs are copied to.",
    );
  const commits = async (files: readonly string[], from?: number) =>
    binlogCommits(
      (
        await reader.inServerImage(
          `${BINLOG_TOOL}; cd ${shellQuote(reader.archivePath)} && TZ=UTC exec "$tool"${from === undefined ? '' : ` --start-position=${from}`} ${files.map(shellQuote).join(' ')} 2>&1`,
        )
      ).output,
    );
  const reachable = await commits(run.files, position.position);
  const after = run.gap ? afterGap(reader.files, run.gap.resumesAt) : [];
  const beyond = after.length > 0 ? await commits(after) : [];
  const end = backupEndTime((await firstOf(reader.artifactFile, ['mariadb_backup_info', 'xtrabackup_info'])) ?? '');
  const spare = run.files.length >= 2 ? run.files[Math.max(1, Math.floor(run.files.length / 2))] : undefined;
  return {
    window: binlogWindow(run, end, reachable, beyond),
    lastCommitBy: (at) => lastBinlogCommitBy(at, reachable),
    replayFrom: `${position.file}:${position.position}`,
    ...(spare ? { spare } : {}),
  };
}

/** The files from `first` on, of its base name, in order. */
function afterGap(files: readonly string[], first: string): string[] {
  const start = parseBinlog(first)!;
  return files
    .filter((file) => parseBinlog(file)?.base === start.base && parseBinlog(file)!.number >= start.number)
    .sort((a, b) => parseBinlog(a)!.number - parseBinlog(b)!.number);
}

/** The replay, run in the server's container with the archive at `archivePath`: exit 20 is mariadb-binlog's failure, 21 the client's. */
export function replayScript(archive: ReplayFrom, client: string): string {
  const [file = '', position = '4'] = archive.replayFrom.split(':');
  const start = parseBinlog(file);
  if (!start) throw new UsageError(`${archive.replayFrom} is not a binary log position persist reads.`, 'Take the backup again with --log-bin.');
  const stop = archive.at ? ` --stop-datetime=${shellQuote(binlogStopText(archive.at))}` : '';
  return [
    BINLOG_TOOL,
    `cd ${shellQuote(archive.archivePath)} || exit 20`,
    `n=${start.number}; files=""`,
    `while [ -f ${shellQuote(start.base)}."$(printf %06d "$n")" ]; do files="$files ${start.base}.$(printf %06d "$n")"; n=$((n + 1)); done`,
    `TZ=UTC "$tool" --start-position=${Number(position)}${stop} $files > /tmp/persist-replay.sql 2>/tmp/persist-replay.err || { tail -n 3 /tmp/persist-replay.err; exit 20; }`,
    `printf '%s\\n' "$(grep -E '^#[0-9]{6} .*(Xid = |GTID [^ ]+ ddl)' /tmp/persist-replay.sql | tail -n 1)" > ${REPLAYED}`,
    // The log bytes read: in each file, from where replay began in it (the backup's position, then 4) to the last event's end.
    `awk -v p=${Number(position)} 'BEGIN{base=p; first=1} /Start: binlog v 4/{if(!first){if(max>base) s+=max-base; base=4; max=0}; first=0; next} / end_log_pos /{for(i=1;i<=NF;i++) if($i=="end_log_pos") e=$(i+1)+0; if(e>max) max=e} END{if(max>base) s+=max-base; print s+0}' /tmp/persist-replay.sql >> ${REPLAYED}`,
    `${client} < /tmp/persist-replay.sql > /tmp/persist-replay.out 2>&1 || { tail -n 3 /tmp/persist-replay.out; exit 21; }`,
    'echo "replayed:$files"',
  ].join('\n');
}

export async function replayBinlogs(run: RunInServer, archive: ReplayFrom, client: string): Promise<RestoreStep> {
  const result = await run(['sh', '-c', replayScript(archive, client)]);
  const output = `${result.stdout.toString()}${result.stderr.toString()}`;
  const files = /replayed:\s*(.*)$/m.exec(output)?.[1]?.trim().split(/\s+/) ?? [];
  const to = archive.at ? ` --stop-datetime='${binlogStopText(archive.at)}'` : '';
  const command = `mariadb-binlog --start-position=${archive.replayFrom.split(':')[1]}${to} ${files.length > 0 ? `${files[0]}…${files.at(-1)} (${files.length} file(s))` : ''} | mariadb`;
  return { command, ok: result.exitCode === 0, ...(result.exitCode === 0 ? {} : { detail: `exit ${result.exitCode}: ${lastLines(output, 3)}` }) };
}

/** Where the replay stopped, as it left it in the server's container. */
export async function binlogReplayed(run: RunInServer): Promise<Replayed> {
  const [line = '', bytes = ''] = (await run(['cat', REPLAYED])).stdout.toString().split('\n');
  const last = binlogCommits(line)[0];
  return { lastCommit: last?.toISOString() ?? null, bytes: bytes.trim() === '' ? null : Number(bytes) };
}
