// The user's own backup and restore (x-persist `backup`, `restore`): the backup, `down -v` (the
// volumes gone), `up`, then the restore into the new volumes. The audit cannot read a procedure,
// so nothing is predicted; it is judged on the services that give one.
import { join } from 'node:path';
import { untilReady } from '../readiness.ts';
import type { Subject } from '../check-subjects.ts';
import { runUserCommand } from '../user-commands.ts';
import { type CheckDrill, EVERY_SERVICE, outcome } from './check-drill.ts';

export const backupRestore: CheckDrill = {
  ...EVERY_SERVICE,
  name: 'backup-restore',
  commands: 'your backup command, docker compose down -v, docker compose up -d --wait, your restore command',
  predictedAs: undefined,
  byProcedure: true,
  comparesObjects: true,
  appliesTo: (_audit, settings) => Object.values(settings).some((own) => own.backup !== undefined),
  judges: (subject) => subject.settings?.backup !== undefined,
  async run(stack, judged, backupRoot) {
    const perService = new Map<string, string>();
    const notes: string[] = [];
    const procedures = judged.filter((s) => s.settings?.backup && s.settings.restore);
    const place = (subject: Subject) => ({ service: subject.service.service, backupDir: join(backupRoot, subject.service.service) });
    for (const subject of procedures) {
      const backup = await runUserCommand(stack, subject.settings?.backup ?? '', place(subject));
      notes.push(`${subject.service.service} backup: ${backup.summary}`);
      if (!backup.ok) perService.set(subject.service.service, `the backup failed: ${backup.summary}`);
    }
    const problem = await stack.lifecycle('down -v + up');
    for (const subject of procedures) {
      if (perService.has(subject.service.service)) continue;
      const notReady = await untilReady(stack, subject.service, subject.settings?.ready);
      if (notReady) {
        perService.set(subject.service.service, `before the restore, ${notReady}`);
        continue;
      }
      const restore = await runUserCommand(stack, subject.settings?.restore ?? '', place(subject));
      notes.push(`${subject.service.service} restore: ${restore.summary}`);
      if (!restore.ok) perService.set(subject.service.service, `the restore failed: ${restore.summary}`);
    }
    return outcome(problem, perService, notes);
  },
};
