// The seed's Method 2: the database's own dump tool, run in the container with `docker exec`,
// its SQL written to a file on the host; the restore feeds that file to the client in a fresh
// server, through the service's artifact kit as `persist verify` restores a team's dump. A logical
// dump is consistent while writes go on, so the service keeps running.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyBackup, writeManifest } from '../manifest.ts';
import { loadDumpInto } from '../../services/load-dump.ts';
import { dumpToFile, restoreFromFile } from '../../targets/logical-dump.ts';
import { BackupFailedError, backupStamp, fileBackup, RestoreFailedError, type BackupMethod } from '../method.ts';
import { wallClock } from '../../timing/clock.ts';
import type { BackupSubject } from '../../services/backup-subject-shape.ts';

/**
 * The seed's dump command as written; `whole`: with the options that also carry what it leaves out
 * (MySQL's routines and events), where the database has such options.
 */
export function nativeDump(options: { whole?: boolean } = {}): BackupMethod {
  const dumpOf = (logical: NonNullable<BackupSubject['logicalBackup']>) => (options.whole ? (logical.whole?.dump ?? logical.dump) : logical.dump);
  return {
    name: 'native-dump',
    title: options.whole ? 'database-native dump, routines and events included' : 'database-native dump',
    mode: 'hot',
    quiesce: false,
    restoresInto: 'service',

    async backup(workspace) {
      const { subject, service } = workspace;
      if (!subject.logicalBackup || !service) throw new BackupFailedError(`${subject.displayName} has no database-native dump.`);
      const name = `${subject.name}_${backupStamp(wallClock())}.sql`;
      const file = join(workspace.backupDir, name);
      const dump = dumpOf(subject.logicalBackup);
      await dumpToFile(service.id, { ...subject.logicalBackup, dump }, file);
      const leftOut = options.whole ? undefined : subject.logicalBackup.whole?.options;
      if (leftOut)
        workspace.evidence.push(`the dump ran as the seed writes it, without ${leftOut}: the tool leaves stored routines and events out unless told`);
      // Names lose their quotes (\x60 is MySQL's backtick, written by its code so no reader takes it for a template).
      const tables = [...(await readFile(file, 'utf8')).matchAll(/^CREATE TABLE (?:IF NOT EXISTS )?(\S+)/gm)].map((m) => m[1]!.replace(/[\x60"]/g, ''));
      const manifest = await writeManifest(file, { method: 'native-dump', source: `${subject.name} database`, entries: tables });
      return fileBackup(file, manifest, [`docker exec ${service.id.slice(0, 12)} ${dump.join(' ')} > ${name}`]);
    },

    async restore(backup, workspace) {
      const { subject, service } = workspace;
      if (!subject.logicalBackup || !service || !backup.file)
        throw new RestoreFailedError('The dump cannot be restored without a running server and the dump file.');
      await verifyBackup(backup.file);
      // Through the service's kit, as `persist verify` restores a team's dump: one restore of a dump.
      const loaded = await loadDumpInto(service.id, subject.name, backup.file);
      if (loaded) {
        const failed = loaded.steps.find((step) => !step.ok);
        if (failed) throw new RestoreFailedError(`\`${failed.command}\` failed: ${failed.detail ?? 'no detail'}`);
        workspace.evidence.push(
          `restore (${loaded.format}, as persist verify restores one): ${loaded.steps.map((step) => step.command).join('; ')} < ${backup.name}`,
        );
        return;
      }
      await restoreFromFile(service.id, subject.logicalBackup, backup.file);
      workspace.evidence.push(`restore: docker exec -i ${service.id.slice(0, 12)} ${subject.logicalBackup.restore.join(' ')} < ${backup.name}`);
    },
  };
}
