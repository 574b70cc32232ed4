// Which cells a check owes its reader, decided before anything is disrupted: every probe seeded
// before the first disruption, on every disruption it is judged on, in every round. A probe that
// cannot write or read in a later round is an `unavailable` cell, never an absent one; a cell the
// check owes and did not produce is a harness error, so a check can never pass by not looking.
import type { CheckCell } from '../report/model.ts';
import type { CheckDisruption } from '../report/vocabulary.ts';
import { checkDrill } from './drills/all.ts';
import type { AuditDataPath, Subject } from './check-subjects.ts';

export type CheckProbe = CheckCell['probe'];

/** What a plan needs of a subject: its data paths and which of the check's own probes it kept. */
export type PlannedSubject = Pick<Subject, 'service' | 'settings' | 'command' | 'primary' | 'database' | 'databasePath' | 'objectsKit' | 'site'>;

/** One cell owed on one disruption: the probe and the data path it is reported under. */
export interface OwedProbe {
  probe: CheckProbe;
  path: AuditDataPath;
}

/** Where a cell stands in the report: what makes it one of a kind. */
export interface CellPlace {
  service: string;
  path: string;
  probe: CheckProbe;
  lifecycle: CheckDisruption;
}

/** Which services a disruption is judged on: an upgrade's and a backup's own; every one else. */
export function judgedOn(disruption: CheckDisruption, subject: Pick<Subject, 'service' | 'settings'>): boolean {
  return checkDrill(disruption).judges(subject);
}

/**
 * The cells one subject owes on one disruption. A backup and restore is the user's own procedure:
 * it is judged by the user's fingerprint where they gave one, else by what was written through
 * the server (a dump restores the data, not a stray file in the data directory), else by files.
 */
export function owedProbes(subject: PlannedSubject, disruption: CheckDisruption): OwedProbe[] {
  if (!judgedOn(disruption, subject)) return [];
  const byProcedure = checkDrill(disruption).byProcedure;
  const byOwnFingerprint = byProcedure && subject.command !== undefined;
  const throughServer = byProcedure && (subject.command !== undefined || subject.database !== undefined || subject.site !== undefined);
  const owed: OwedProbe[] = throughServer ? [] : subject.service.dataPaths.map((path) => ({ probe: 'file' as const, path }));
  const { databasePath } = subject;
  if (databasePath && !byOwnFingerprint) {
    if (subject.database) owed.push({ probe: 'dataset', path: databasePath });
    if (subject.site) owed.push({ probe: 'site', path: databasePath });
  }
  // A restore brings the database back from elsewhere: what it holds besides rows is compared too.
  if (databasePath && subject.objectsKit && checkDrill(disruption).comparesObjects) owed.push({ probe: 'objects', path: databasePath });
  if (subject.command && subject.primary) owed.push({ probe: 'command', path: subject.primary });
  return owed;
}

/** Every cell the check owes: subjects × the probes they kept × the disruptions each is judged on. */
export function owedCells(subjects: readonly PlannedSubject[], disruptions: readonly CheckDisruption[]): CellPlace[] {
  return disruptions.flatMap((lifecycle) =>
    subjects.flatMap((subject) =>
      owedProbes(subject, lifecycle).map(({ probe, path }) => ({ service: subject.service.service, path: path.path, probe, lifecycle })),
    ),
  );
}

const placeKey = (place: CellPlace): string => JSON.stringify([place.service, place.path, place.probe, place.lifecycle]);

/** "wordpress /var/www/html (site) after `kill`". */
export function describePlace(place: CellPlace): string {
  return `${place.service} ${place.path} (${place.probe}) after \`${place.lifecycle}\``;
}

/**
 * What the cells produced lack of what was owed, and what they hold that was never owed (each
 * place counted as often as it occurs): both empty when the check is complete.
 */
export function compareWithPlan(owed: readonly CellPlace[], cells: readonly CellPlace[]): { missing: CellPlace[]; unplanned: CellPlace[] } {
  const remaining = new Map<string, number>();
  for (const place of cells) remaining.set(placeKey(place), (remaining.get(placeKey(place)) ?? 0) + 1);
  const missing: CellPlace[] = [];
  for (const place of owed) {
    const left = remaining.get(placeKey(place)) ?? 0;
    if (left === 0) missing.push(place);
    else remaining.set(placeKey(place), left - 1);
  }
  const unplanned = cells.filter((place) => {
    const left = remaining.get(placeKey(place)) ?? 0;
    if (left > 0) remaining.set(placeKey(place), left - 1);
    return left > 0;
  });
  return { missing, unplanned };
}

/** The harness errors an incomplete check reports: one line for what is missing, one for what was never owed. */
export function completenessErrors(owed: readonly CellPlace[], cells: readonly CellPlace[]): string[] {
  const { missing, unplanned } = compareWithPlan(owed, cells);
  const errors: string[] = [];
  if (missing.length > 0)
    errors.push(
      `The check owed ${owed.length} cells and produced ${cells.length}: missing ${missing.map(describePlace).join('; ')}. This is a harness bug; please report it.`,
    );
  if (unplanned.length > 0)
    errors.push(`The check produced cells it never planned: ${unplanned.map(describePlace).join('; ')}. This is a harness bug; please report it.`);
  return errors;
}
