// A data directory filled from a physical backup: a pg_basebackup (tar or plain), a pgBackRest
// repository's newest backup, or a Barman server's newest backup; then, where an archive goes with
// it, the recovery settings that replay it (to its end, or to a time, then promoted). The restored
// server never archives: a throwaway that pushed its WAL to the team's archive would write into
// their backups (barman recover and pgbackrest --archive-mode=off do the same).
import { postgresTime } from '../../timing/time-forms.ts';
import { shellQuote } from '../../terminal/shell-quote.ts';
import { stopwatch } from '../../timing/clock.ts';
import { lastLines } from '../../terminal/last-lines.ts';
import type { DataDirectoryFiller, Filled, IntegrityResult, RestoreStep } from '../artifact-kits.ts';
import { readableWal } from './wal-window.ts';
import { pgBackRestRestore } from './pgbackrest.ts';
import { BARMAN_WAL, OWNER_WRITES, barmanRestoreCommand, copyNewestBackup } from './barman.ts';

export const BASE_TAR = /^base\.tar(\.gz|\.zst|\.lz4)?$/;
const WAL_TAR = /^pg_wal\.tar(\.gz|\.zst|\.lz4)?$/;

/** A plain-format pg_basebackup: the data directory's files with the backup_label it wrote. */
export const isPlainBaseBackup = (names: readonly string[]) => names.includes('backup_label') && names.includes('PG_VERSION');

/** Where PGDATA lies below the volume's mount, as a path relative to it; undefined when it is the mount itself (or elsewhere). */
export function dataDirectoryBelow(mount: string, pgdata: string | undefined): string | undefined {
  const root = mount.replace(/\/+$/, '');
  return pgdata?.startsWith(`${root}/`) ? pgdata.slice(root.length + 1).replace(/\/+$/, '') || undefined : undefined;
}

/** How the restored data reads the archive, and how the image's tools read its WAL. */
interface WalAccess {
  restoreCommand: string;
  /** Run once the replay ends (barman recover removes the WAL it copied). */
  endCommand?: string;
  readable: string;
  manifest: string | undefined;
  /** A folder the restore added to the data directory, which the manifest does not list. */
  added?: string;
}

export async function fillFromBaseBackup(format: string, filler: DataDirectoryFiller): Promise<Filled> {
  const below = dataDirectoryBelow(filler.dataPath, filler.environment.PGDATA);
  const dataDirectory = below ? `${filler.dataPath}/${below}` : filler.dataPath;
  // pgbackrest restores the files and writes the recovery settings itself.
  if (format === 'pgbackrest') return { steps: [await pgBackRestRestore(filler, dataDirectory)] };
  const copied = await copyData(format, filler, below, dataDirectory);
  const steps = copied.steps;
  const access = walAccess(format, filler, dataDirectory, copied.manifest);
  const checking = stopwatch();
  const manifest = access.manifest;
  const checked = steps.every((s) => s.ok) && manifest ? await verifyBackup(filler, dataDirectory, { ...access, manifest }) : undefined;
  const checkedMs = checked ? checking.ms() : 0;
  if (steps.every((s) => s.ok)) steps.push(await recoverySettings(filler, dataDirectory, filler.archivePath ? access : undefined));
  return { steps, integrity: checked ? [checked] : [], integrityMs: checkedMs };
}

/** The backup's files into the data directory; with the manifest pg_verifybackup checks them against, where the backup has one. */
async function copyData(
  format: string,
  filler: DataDirectoryFiller,
  below: string | undefined,
  dataDirectory: string,
): Promise<{ steps: RestoreStep[]; manifest: string | undefined }> {
  if (format === 'barman') {
    const result = await filler.inServerImage(copyNewestBackup(filler.archivePath ?? filler.artifactPath, dataDirectory));
    const id = result.output.trim().split('\n').at(-1) ?? '';
    const step = {
      command: `cp -a base/${result.exitCode === 0 ? id : '<newest DONE>'}/data/. (Barman's newest finished backup), and its WAL on, unpacked, into ${BARMAN_WAL}/ (as barman recover does)`,
      ok: result.exitCode === 0,
    };
    if (result.exitCode !== 0) return { steps: [{ ...step, detail: `exit ${result.exitCode}: ${lastLines(result.output, 3)}` }], manifest: undefined };
    return { steps: [step], manifest: `${filler.artifactPath}/base/${id}/data/backup_manifest` };
  }
  const manifest = filler.names.includes('backup_manifest') ? `${filler.artifactPath}/backup_manifest` : undefined;
  if (isPlainBaseBackup(filler.names)) {
    const result = await filler.inServerImage(
      `cp -a ${shellQuote(filler.artifactPath)}/. ${shellQuote(dataDirectory)}/ 2>&1 && ${OWNER_WRITES(dataDirectory)}`,
    );
    const step = { command: 'cp -a <the plain base backup>/.', ok: result.exitCode === 0 };
    return { steps: [result.exitCode === 0 ? step : { ...step, detail: `exit ${result.exitCode}: ${lastLines(result.output, 3)}` }], manifest };
  }
  const base = filler.names.find((name) => BASE_TAR.test(name))!;
  const steps = [await filler.extract(base, below)];
  const wal = filler.names.find((name) => WAL_TAR.test(name));
  if (wal && steps[0]!.ok) steps.push(await filler.extract(wal, below ? `${below}/pg_wal` : 'pg_wal'));
  return { steps, manifest };
}

function walAccess(format: string, filler: DataDirectoryFiller, dataDirectory: string, manifest: string | undefined): WalAccess {
  const archive = filler.archivePath ?? '';
  if (format === 'barman')
    return {
      restoreCommand: barmanRestoreCommand(dataDirectory),
      readable: `WAL=${shellQuote(`${dataDirectory}/${BARMAN_WAL}`)}`,
      manifest,
      added: BARMAN_WAL,
      endCommand: `rm -fr ${dataDirectory}/${BARMAN_WAL}`,
    };
  // The documented `cp`, or gunzip where archive_command compressed the segment.
  const restoreCommand = `if [ -f ${archive}/%f.gz ]; then gunzip -c ${archive}/%f.gz > "%p"; else cp ${archive}/%f "%p"; fi`;
  return { restoreCommand, readable: readableWal(archive), manifest };
}

/**
 * pg_verifybackup of the data directory against the backup's manifest (PostgreSQL 13 and later
 * write one), its WAL parsed too (from the archive, where there is one): run on the copied files
 * because it reads a tar backup only from PostgreSQL 18 on.
 */
async function verifyBackup(filler: DataDirectoryFiller, dataDirectory: string, access: WalAccess & { manifest: string }): Promise<IntegrityResult> {
  const wal = filler.archivePath ? `${access.readable} && ` : '';
  const script = `command -v pg_verifybackup >/dev/null || { echo 'this image has no pg_verifybackup (PostgreSQL 13 and later have it)'; exit 127; }; ${wal}exec pg_verifybackup -m ${shellQuote(access.manifest)}${access.added ? ` -i ${access.added}` : ''}${filler.archivePath ? ' -w "$WAL"' : ''} ${shellQuote(dataDirectory)} 2>&1`;
  const result = await filler.inServerImage(script);
  return { tool: 'pg_verifybackup', passed: result.exitCode === 0, detail: lastLines(result.output, 2) || `exit ${result.exitCode}` };
}

/**
 * The restored server's settings: never archiving; with an archive, replaying it when the
 * server starts (recovery.signal and the restore_command), to the filler's time if it has one.
 */
async function recoverySettings(filler: DataDirectoryFiller, dataDirectory: string, access: WalAccess | undefined): Promise<RestoreStep> {
  const restoreCommand = access?.restoreCommand;
  const quoted = (command: string) => `'${command.replace(/'/g, "''")}'`;
  // PostgreSQL 13 and later pause at a time target unless told to promote.
  const settings = [
    ...(restoreCommand ? [`restore_command = ${quoted(restoreCommand)}`] : []),
    ...(access?.endCommand ? [`recovery_end_command = ${quoted(access.endCommand)}`] : []),
    ...(restoreCommand && filler.recoveryTarget
      ? [`recovery_target_time = '${postgresTime(filler.recoveryTarget)}'`, "recovery_target_action = 'promote'"]
      : []),
    "archive_mode = 'off'",
  ];
  const signal = restoreCommand ? 'touch recovery.signal && ' : '';
  const result = await filler.inServerImage(
    `cd ${shellQuote(dataDirectory)} && ${signal}printf '%s\\n' ${settings.map(shellQuote).join(' ')} >> postgresql.auto.conf`,
  );
  return {
    command: `${restoreCommand ? 'recovery.signal, and ' : ''}${settings.join(', ')} in postgresql.auto.conf`,
    ok: result.exitCode === 0,
    ...(result.exitCode === 0 ? {} : { detail: `exit ${result.exitCode}: ${result.output.trim()}` }),
  };
}
