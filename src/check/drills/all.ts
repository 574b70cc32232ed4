// Every disruption `persist check` runs, in this order: each lifecycle command the audit predicts,
// a SIGKILL, the user's backup and restore, a power cut (opt-in), `down -v` (the control that must lose what the
// project's volumes hold), and the user's upgrade last, so that every other disruption runs on
// the project as it is configured today.
import type { ServiceSettings } from '../../compose/x-persist.ts';
import { UsageError } from '../../errors.ts';
import type { Audit } from '../../report/model.ts';
import type { CheckDisruption } from '../../report/vocabulary.ts';
import { backupRestore } from './backup-restore.ts';
import type { CheckDrill } from './check-drill.ts';
import { downUp } from './down-up.ts';
import { downVolumesUp } from './down-v-up.ts';
import { forceRecreate } from './force-recreate.ts';
import { kill } from './kill.ts';
import { powerCut } from './power-cut.ts';
import { restart } from './restart.ts';
import { upgrade } from './upgrade.ts';

export type { CheckDrill, DisruptionOutcome } from './check-drill.ts';

export const CHECK_DRILLS: readonly CheckDrill[] = [restart, kill, forceRecreate, downUp, backupRestore, powerCut, downVolumesUp, upgrade];

/** What runs unless --disruptions says otherwise: all but the power cut, which needs this host's disks (opt-in). */
export const DEFAULT_DISRUPTIONS: readonly CheckDisruption[] = CHECK_DRILLS.map((drill) => drill.name).filter((name) => name !== 'power-cut');

const BY_NAME = new Map(CHECK_DRILLS.map((drill) => [drill.name, drill]));

export function checkDrill(name: CheckDisruption): CheckDrill {
  const drill = BY_NAME.get(name);
  if (!drill) throw new Error(`No check drill is named ${name}.`);
  return drill;
}

/** --disruptions as given (comma-separated names): the names checked, or the default where none are given. */
export function chosenDisruptions(names: readonly string[] | undefined): readonly CheckDisruption[] {
  if (names === undefined) return DEFAULT_DISRUPTIONS;
  const known: readonly string[] = CHECK_DRILLS.map((drill) => drill.name);
  const unknown = names.filter((name) => !known.includes(name));
  const fix = `Known disruptions: ${known.join(', ')} (comma-separated, e.g. --disruptions "restart,power-cut"; power-cut runs only where named).`;
  if (unknown.length > 0) throw new UsageError(`Unknown disruption${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, fix);
  if (names.length === 0) throw new UsageError('--disruptions names no disruption.', fix);
  return names as CheckDisruption[];
}

/** The disruptions this project gets, in order: those chosen that apply to it. */
export function drillsFor(audit: Audit, settings: Record<string, ServiceSettings>, chosen: readonly CheckDisruption[] = DEFAULT_DISRUPTIONS): CheckDrill[] {
  return CHECK_DRILLS.filter((drill) => chosen.includes(drill.name) && drill.appliesTo(audit, settings));
}
