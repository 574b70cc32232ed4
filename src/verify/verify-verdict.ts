// The verdict of a verification, a pure function of what the restores showed: the intact
// artifact must restore, hold rows (unless an empty backup is allowed), meet every expectation
// and be fresh enough; its damaged copy must fail, or the verification could not have failed.
import type { ArchiveWindow, IntegrityResult, TableCount } from '../services/artifact-kits.ts';
import { describeDuration } from '../timing/durations.ts';
import type { DataAge, ExpectationResult } from './expectations.ts';
import { type Inventory, missingObjects, objectName, sequenceProblems } from '../data/inventory.ts';

export type VerifyVerdict = 'verified' | 'failed' | 'unable-to-fail';

/** What one restore showed: its failed step (if any), its tables and its expectations. */
export interface PassOutcome {
  /** Why the restore or the server failed; undefined when it restored. */
  failure: string | undefined;
  tables: TableCount[];
  expectations: ExpectationResult[];
  dataAge: DataAge | null;
  /** A volume's restored files. */
  files?: { count: number; bytes: number } | null;
  /** Why it came back empty, where the server's settings say (Redis ignoring an RDB for want of an AOF). */
  emptyBecause?: string;
  /** Every object the server's catalogues list; null where persist cannot read them. */
  inventory?: Inventory | null;
}

const key = (table: TableCount) => `${table.database}.${table.table}`;

/** Whether the damaged copy's restore failed, and why; it also fails when it brought back other tables or rows than the intact one. */
export function judgeDamagedCopy(intact: PassOutcome, damaged: PassOutcome): { failed: boolean; reason: string } {
  if (damaged.failure !== undefined) return { failed: true, reason: `its restore failed: ${damaged.failure}` };
  const before = new Map(intact.tables.map((table) => [key(table), table.rows]));
  const after = new Map(damaged.tables.map((table) => [key(table), table.rows]));
  const differences = [
    ...[...before].filter(([name]) => !after.has(name)).map(([name]) => `${name} missing`),
    ...[...after].filter(([name]) => !before.has(name)).map(([name]) => `${name} not in the intact restore`),
    ...[...before]
      .filter(([name, rows]) => after.has(name) && after.get(name) !== rows)
      .map(([name, rows]) => `${name} has ${after.get(name)} rows, not ${rows}`),
  ];
  const objectsMissing = missingObjects(intact.inventory?.objects ?? [], damaged.inventory?.objects ?? []).map((object) => `${objectName(object)} missing`);
  differences.push(...objectsMissing);
  if (differences.length > 0) return { failed: true, reason: `it restored without an error, but not the same data: ${differences.slice(0, 3).join('; ')}` };
  const unmet = damaged.expectations.filter((expectation) => !expectation.passed);
  if (unmet.length > 0) return { failed: true, reason: `an expectation failed: ${unmet[0]!.expectation} (observed ${unmet[0]!.observed})` };
  return { failed: false, reason: 'it restored without an error, with the same tables and row counts as the intact artifact' };
}

/** The problems of the intact restore, each a sentence; none means it verified. */
export function problemsOf(intact: PassOutcome, allowEmpty: boolean, volume = false): string[] {
  if (intact.failure !== undefined) return [`The restore failed: ${intact.failure}`];
  const problems: string[] = [];
  if (volume) {
    // A volume's files are the data: at least one must come back.
    if (!allowEmpty && (intact.files?.count ?? 0) === 0)
      problems.push('The restore brought back no file: an empty backup is not a backup (set allowEmpty: true if it is meant to be empty).');
  } else if (!allowEmpty && intact.emptyBecause && intact.tables.every((table) => table.rows === 0))
    problems.push(`The restore brought back nothing: ${intact.emptyBecause}.`);
  else if (!allowEmpty && intact.tables.length === 0)
    problems.push('The restore brought back no table: an empty backup is not a backup (set allowEmpty: true if it is meant to be empty).');
  else if (!allowEmpty && intact.tables.every((table) => table.rows === 0))
    problems.push(`The restore brought back ${intact.tables.length} table(s) and not one row (set allowEmpty: true if that is meant).`);
  if (intact.inventory) problems.push(...sequenceProblems(intact.inventory.sequences, intact.inventory.engine));
  for (const expectation of intact.expectations.filter((e) => !e.passed))
    problems.push(`Expected ${expectation.expectation}; observed ${expectation.observed}.`);
  const age = intact.dataAge;
  if (age && !age.passed)
    problems.push(
      age.problem
        ? `The data age could not be read: ${age.problem}.`
        : `The newest row is ${describeDuration(age.ageMs ?? 0)} old (${age.newest}), more than the allowed ${describeDuration(age.maxAgeMs)}.`,
    );
  return problems;
}

/**
 * An integrity tool that found a fault is a problem even where the restore went through: the
 * backup does not match what its own tool wrote down (a manifest's checksum, a repository's pack).
 */
export function integrityProblems(results: readonly IntegrityResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => `${result.tool} found a fault in the artifact: ${result.detail.replace(/\.$/, '')}.`);
}

export function verifyVerdict(problems: readonly string[], damaged: { failed: boolean } | null): VerifyVerdict {
  if (problems.length > 0) return 'failed';
  return damaged?.failed === true ? 'verified' : 'unable-to-fail';
}

/** Each service of the application that did not come up on the restored data: what it showed, and its last lines. */
export function appProblems(results: ReadonlyArray<{ service: string; cameUp: boolean; detail: string; logTail: string | null }>): string[] {
  return results
    .filter((result) => !result.cameUp)
    .map(
      (result) =>
        `The application's service ${result.service} did not come up on the restored data: ${result.detail}${result.logTail ? `; its last log lines: ${result.logTail.replace(/\s*\n\s*/g, ' | ')}` : ''}.`,
    );
}

/** Each gap of a continuous archive in a sentence: everything past it cannot be reached from this base backup. */
export function windowProblems(window: Pick<ArchiveWindow, 'gaps'> | undefined): string[] {
  return (window?.gaps ?? []).map(
    (gap) =>
      `The archive cannot be replayed past ${gap.lastReachable ?? 'the end of the base backup'}: ${gap.missing} is missing, so the ${gap.unreachableCommits} commit(s) it holds from ${gap.resumesAt} on cannot be reached from this base backup.`,
  );
}

/**
 * The archive's damaged copy, one segment gone: it fails as it must when its window ends at that
 * gap and its restore brought back less than the intact one. A window that still reaches past the
 * gap, or a restore that brought back the same data, could not have failed.
 */
export function judgeDamagedArchive(
  missing: string,
  intact: Pick<ArchiveWindow, 'end'>,
  damaged: Pick<ArchiveWindow, 'end' | 'gaps'> | Error,
  restored: { failed: boolean; reason: string },
): { failed: boolean; reason: string } {
  if (damaged instanceof Error) return { failed: restored.failed, reason: `its window could not be read (${damaged.message}); ${restored.reason}` };
  const gap = damaged.gaps[0];
  const atGap = gap !== undefined && missing.startsWith(gap.missing);
  // The last file of the run gone leaves no gap, only a window that ends sooner.
  const shorter = gap === undefined && intact.end !== null && (damaged.end === null || Date.parse(damaged.end) < Date.parse(intact.end));
  if (!atGap && !shorter)
    return {
      failed: false,
      reason: `its window was read without the gap at ${missing} (it ends at ${damaged.end ?? 'no commit'}, as the intact one at ${intact.end ?? 'no commit'})`,
    };
  if (!restored.failed)
    return { failed: false, reason: `its window ends at ${damaged.end ?? 'the base backup'}, but the restore came back whole: ${restored.reason}` };
  const where = atGap ? `where ${gap!.missing} is missing` : `its last file, ${missing}, gone`;
  return {
    failed: true,
    reason: `its window ends at ${damaged.end ?? 'the base backup'}, ${where} (the intact one at ${intact.end ?? 'no commit'}), and the restore stopped there: ${restored.reason.replace(/^it /, '')}`,
  };
}
