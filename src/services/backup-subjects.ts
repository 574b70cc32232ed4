// The backup drills' subjects by the name a procedure file gives, each from its service's folder:
// a database's from its driver, any other's from the folder's backup.ts (exporting
// `backupSubject`), so adding a service touches no list here. Only the backup drills import this.
import type { BackupSubject } from './backup-subject-shape.ts';
import { databaseSubject } from './database-backup-subject.ts';
import { DATABASE_DRIVERS } from './drivers.ts';
import { type BackupSubjectName, type BackupSubjectOwner, backupSubjectOwners, type DatabaseServiceName } from './registry.ts';

async function load(owner: BackupSubjectOwner): Promise<[BackupSubjectName, BackupSubject]> {
  if (owner.database) return [owner.subject, databaseSubject(DATABASE_DRIVERS[owner.service as DatabaseServiceName])];
  const module = (await import(`./${owner.service}/backup.ts`)) as { backupSubject?: BackupSubject };
  if (module.backupSubject?.name !== owner.subject)
    throw new Error(`src/services/${owner.service}/backup.ts must export the service's backup subject as \`backupSubject\`, named ${owner.subject}.`);
  return [owner.subject, module.backupSubject];
}

export const BACKUP_SUBJECTS = Object.fromEntries(await Promise.all(backupSubjectOwners().map(load))) as Record<BackupSubjectName, BackupSubject>;
