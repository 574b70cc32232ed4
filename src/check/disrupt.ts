// Each disruption run on the whole copy as a team runs it, and the write load a kill lands on.
import type { ServiceSettings } from '../compose/x-persist.ts';
import type { WriteLoad } from '../probes/write-load.ts';
import type { Audit } from '../report/model.ts';
import type { ComposeStack } from '../stack/compose-stack.ts';
import { sleep } from '../timing/clock.ts';
import { join } from 'node:path';
import { CHECK_DISRUPTIONS, type CheckDisruption } from './disruptions.ts';
import { untilReady } from './readiness.ts';
import type { Seeded, Subject } from './subjects.ts';
import { runUserCommand } from './user-commands.ts';

/**
 * Runs the disruption on the whole copy. Returns why a service did not come back (for every
 * service) or, for a backup and restore, the services whose own commands failed.
 */
export async function disrupt(
  stack: ComposeStack,
  disruption: CheckDisruption,
  subjects: Subject[],
  backupRoot: string,
): Promise<{ problem?: string; perService: Map<string, string>; notes: string[] }> {
  const perService = new Map<string, string>();
  const notes: string[] = [];
  const done = (problem: string | undefined) => ({ ...(problem ? { problem } : {}), perService, notes });
  switch (disruption) {
    case 'restart':
    case 'up --force-recreate':
    case 'down + up':
    case 'down -v + up':
      return done(await stack.lifecycle(disruption));
    case 'kill':
      return done(await stack.killAll());
    case 'upgrade': {
      const images = Object.fromEntries(subjects.flatMap((s) => (s.service.upgrade ? [[s.service.service, s.service.upgrade.image]] : [])));
      return done(await stack.upgrade(images));
    }
    case 'backup-restore': {
      const procedures = subjects.filter((s) => s.settings?.backup && s.settings.restore);
      for (const subject of procedures) {
        const backup = await runUserCommand(stack, subject.settings?.backup ?? '', {
          service: subject.service.service,
          backupDir: join(backupRoot, subject.service.service),
        });
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
        const restore = await runUserCommand(stack, subject.settings?.restore ?? '', {
          service: subject.service.service,
          backupDir: join(backupRoot, subject.service.service),
        });
        notes.push(`${subject.service.service} restore: ${restore.summary}`);
        if (!restore.ok) perService.set(subject.service.service, `the restore failed: ${restore.summary}`);
      }
      return done(problem);
    }
  }
}

/** The disruptions this project gets: an upgrade only where one is named, a backup only where one is given. */
export function disruptionsFor(audit: Audit, settings: Record<string, ServiceSettings>): CheckDisruption[] {
  return CHECK_DISRUPTIONS.filter((disruption) => {
    if (disruption === 'upgrade') return audit.services.some((service) => service.upgrade !== undefined);
    if (disruption === 'backup-restore') return Object.values(settings).some((own) => own.backup !== undefined);
    return true;
  });
}

const WRITERS = 2;
const WRITE_BEFORE_KILL_MS = 300;

export async function startWriteLoads(stack: ComposeStack, seeded: Seeded[]): Promise<Array<{ entry: Seeded; load: WriteLoad }>> {
  const loads: Array<{ entry: Seeded; load: WriteLoad }> = [];
  for (const entry of seeded) {
    const ledger = entry.dataset?.probe.ledger;
    if (ledger) loads.push({ entry, load: await ledger.startWriters(stack, WRITERS) });
  }
  if (loads.length > 0) await sleep(WRITE_BEFORE_KILL_MS);
  return loads;
}
