// Every disruption `persist check` runs, in this order: each lifecycle command the audit predicts,
// a SIGKILL, the user's backup and restore, `down -v` (the control that must lose what the
// project's volumes hold), and the user's upgrade last, so that every other disruption runs on
// the project as it is configured today.
import type { ServiceSettings } from '../../compose/x-persist.ts';
import type { Audit } from '../../report/model.ts';
import type { CheckDisruption } from '../../report/vocabulary.ts';
import { backupRestore } from './backup-restore.ts';
import type { CheckDrill } from './check-drill.ts';
import { downUp } from './down-up.ts';
import { downVolumesUp } from './down-v-up.ts';
import { forceRecreate } from './force-recreate.ts';
import { kill } from './kill.ts';
import { restart } from './restart.ts';
import { upgrade } from './upgrade.ts';

export type { CheckDrill, DisruptionOutcome } from './check-drill.ts';

export const CHECK_DRILLS: readonly CheckDrill[] = [restart, kill, forceRecreate, downUp, backupRestore, downVolumesUp, upgrade];

const BY_NAME = new Map(CHECK_DRILLS.map((drill) => [drill.name, drill]));

export function checkDrill(name: CheckDisruption): CheckDrill {
  const drill = BY_NAME.get(name);
  if (!drill) throw new Error(`No check drill is named ${name}.`);
  return drill;
}

/** The disruptions this project gets, in order. */
export function drillsFor(audit: Audit, settings: Record<string, ServiceSettings>): CheckDrill[] {
  return CHECK_DRILLS.filter((drill) => drill.appliesTo(audit, settings));
}
