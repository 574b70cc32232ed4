// The retention rule of the seed's rotating script, `find -mtime +7 -delete`, computed
// independently so the harness can say exactly which archives it must keep and delete. find
// counts an archive's age in whole days, rounded down: +7 means 8 days or older. "Keep the
// last 7 days" therefore keeps an archive that is 7 days and 23 hours old.
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function deletedByFindMtime(ageMs: number, keepDays: number): boolean {
  return Math.floor(ageMs / DAY_MS) > keepDays;
}

/** The history the drill plants before the script's last run: both sides of the boundary. */
export const SIMULATED_AGES_MS: readonly number[] = [
  30 * DAY_MS,
  10 * DAY_MS,
  8 * DAY_MS + HOUR_MS,
  7 * DAY_MS + 20 * HOUR_MS,
  6 * DAY_MS + 23 * HOUR_MS,
  1 * DAY_MS,
];

export function expectedRetention(archives: ReadonlyArray<{ name: string; ageMs: number }>, keepDays: number): { kept: string[]; deleted: string[] } {
  const kept = archives.filter((a) => !deletedByFindMtime(a.ageMs, keepDays)).map((a) => a.name);
  const deleted = archives.filter((a) => deletedByFindMtime(a.ageMs, keepDays)).map((a) => a.name);
  return { kept: kept.sort(), deleted: deleted.sort() };
}

export function describeAge(ageMs: number): string {
  const days = Math.floor(ageMs / DAY_MS);
  const hours = Math.round((ageMs - days * DAY_MS) / HOUR_MS);
  return `${days} d${hours > 0 ? ` ${hours} h` : ''}`;
}
