// The points in time a restore is taken to (`--at TIME`, or the window's start, `--points` inside
// it and its end), what each one can be, and how each restore to one is judged. A time inside the
// window is replayed to; one past the last commit of an unbroken archive is its end (the same
// data, said so); one past a gap, or before the base backup's end, cannot be reached: a problem.
// And what x-persist promises of an archive (`verify.window`, `verify.rpo`).
import { UsageError } from '../errors.ts';
import type { Verify } from '../report/model.ts';
import type { ArchiveWindow } from '../services/artifact-kits.ts';
import { round } from '../timing/clock.ts';
import { describeDuration, parseDuration } from '../timing/durations.ts';
import type { VerifySettings } from './expectations.ts';
import type { Pass } from './restore-pass.ts';

const RFC_3339 = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const RELATIVE = /^-(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An `--at` as an instant: RFC 3339 (`2026-12-07T10:31:00Z`) or back from now (`-2h`, `-30m`). */
export function parseTarget(text: string, nowMs: number): Date {
  const relative = RELATIVE.exec(text);
  if (relative) return new Date(nowMs - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (RFC_3339.test(text)) return new Date(text);
  throw new UsageError(`--at ${text} is not a time persist reads.`, 'Give it as RFC 3339 with its zone (2026-12-07T10:31:00Z) or back from now (-2h, -30m).');
}

/** Why a point is restored to: asked for with `--at`, or one of the points that prove the window. */
export type Point = 'asked' | 'start' | 'between' | 'end';

/** The most `--points` a verification restores to: each is a restore and a replay. */
export const MAX_POINTS = 20;

/** `--points N`: a whole number from 0 to MAX_POINTS. */
export function parsePoints(text: string): number {
  const points = Number(text);
  if (!/^\d+$/.test(text) || points > MAX_POINTS)
    throw new UsageError(`--points ${text} is not a number of points persist restores to.`, `Give a whole number from 0 to ${MAX_POINTS}.`);
  return points;
}

export type TargetPlan = { at: Date; point: Point } & ({ kind: 'time' } | { kind: 'end'; why: string } | { kind: 'unreachable'; problem: string });

/** What restoring to `at` means for this window. */
export function planTarget(at: Date, window: ArchiveWindow, point: Point = 'asked'): TargetPlan {
  const iso = at.toISOString();
  if (window.start !== null && at.getTime() < Date.parse(window.start))
    return { at, point, kind: 'unreachable', problem: `--at ${iso} is before the base backup's end (${window.start}): no restore of this backup reaches it.` };
  if (window.end === null || at.getTime() < Date.parse(window.end)) return { at, point, kind: 'time' };
  const gap = window.gaps[0];
  if (gap)
    return {
      at,
      point,
      kind: 'unreachable',
      problem: `--at ${iso} cannot be reached: the archive can be replayed only to ${window.end}, where ${gap.missing} is missing.`,
    };
  const why =
    point === 'end'
      ? `the archive's last commit: the restore above replayed the archive to its end`
      : `past the archive's last commit (${window.end}): the archive's end, as the restore above replayed it`;
  return { at, point, kind: 'end', why };
}

/** A window that cannot be proved by restores to points in it, in a sentence: an empty window is never a pass. */
export function unprovedWindow(window: ArchiveWindow): string | undefined {
  if (window.end === null)
    return 'The archive holds no commit replayable after the base backup: there is no window to restore to (a write and a WAL switch after the backup make one; without --archive the backup is verified alone).';
  if (window.start === null) return "persist could not date the window's start, so no restore to a point in it was made: the window is not proved.";
  return undefined;
}

/**
 * The points that prove a window without `--at`: its start (the base backup's end), `between`
 * points evenly spaced inside it, and its end (the restore to the archive's end). None where the
 * window has no dated start and end: its problems say why.
 */
export function windowPoints(window: ArchiveWindow, between: number): TargetPlan[] {
  if (window.start === null || window.end === null) return [];
  const startMs = Date.parse(window.start);
  const spanMs = Date.parse(window.end) - startMs;
  if (spanMs <= 0) return [planTarget(new Date(window.end), window, 'end')];
  const inside = Array.from({ length: between }, (_, i) => planTarget(new Date(startMs + Math.round((spanMs * (i + 1)) / (between + 1))), window, 'between'));
  return [planTarget(new Date(startMs), window, 'start'), ...inside, planTarget(new Date(window.end), window, 'end')];
}

/**
 * Where the server says its replay stopped (its last transaction replayed), against where the
 * archive says it must: past the target it did not stop; before the archive's last commit by
 * then it lost transactions the archive holds.
 */
export function replayProblem(at: Date, replayedTo: string | null, expected: Date | null): string | undefined {
  const iso = at.toISOString();
  if (replayedTo !== null && Date.parse(replayedTo) > at.getTime())
    return `The restore to ${iso} replayed a transaction committed at ${replayedTo}, after the target: it did not stop where it was asked to.`;
  if (expected === null) return undefined;
  if (replayedTo === null)
    return `The restore to ${iso} replayed no transaction, though the archive holds one committed at ${expected.toISOString()}, before the target.`;
  if (Date.parse(replayedTo) < expected.getTime())
    return `The restore to ${iso} stopped at a transaction committed at ${replayedTo}, though the archive holds one committed at ${expected.toISOString()}, before the target.`;
  return undefined;
}

/** A restore to a time whose newest row is newer than the time did not stop there. */
export function newerThanTarget(at: Date, newest: string | null): string | undefined {
  if (newest === null || Date.parse(newest) <= at.getTime()) return undefined;
  return `The restore to ${at.toISOString()} holds a row from ${newest}, after the target: it did not stop where it was asked to.`;
}

/** The promises of x-persist `verify.window` and `verify.rpo` against the window read: each one broken, in a sentence with the figures. */
export function windowPromiseProblems(window: Pick<ArchiveWindow, 'start' | 'end'>, promised: { windowMs?: number; rpoMs?: number }, nowMs: number): string[] {
  const problems: string[] = [];
  const endMs = window.end === null ? null : Date.parse(window.end);
  if (promised.windowMs !== undefined) {
    const spanMs = window.start === null || endMs === null ? null : endMs - Date.parse(window.start);
    if (spanMs === null || spanMs < promised.windowMs)
      problems.push(
        `The archive's window spans ${spanMs === null ? 'nothing persist could date' : describeDuration(spanMs)}, less than the ${describeDuration(promised.windowMs)} promised (verify.window.atLeast).`,
      );
  }
  if (promised.rpoMs !== undefined) {
    const rpoMs = endMs === null ? null : nowMs - endMs;
    if (rpoMs === null || rpoMs > promised.rpoMs)
      problems.push(
        `The latest point the archive reaches is ${rpoMs === null ? 'unknown' : `${describeDuration(rpoMs)} ago (${window.end})`}, more than the ${describeDuration(promised.rpoMs)} promised (verify.rpo).`,
      );
  }
  return problems;
}

export type TargetResult = NonNullable<Verify['targets']>[number] & { problem?: string };

/** The replay's figures: the WAL the server replayed and its start, which is the replay, and the rate. */
export function replayFigures(pass: Pick<Pass, 'phases' | 'replayed'>): TargetResult['replay'] {
  // The replay is its own phase where a running server is fed the archive; else the server's start replays it.
  const ms = (pass.phases.find((phase) => phase.phase === 'replay') ?? pass.phases.find((phase) => phase.phase === 'start'))?.ms;
  const bytes = pass.replayed?.bytes;
  if (bytes == null || ms === undefined) return null;
  return { bytes, ms, bytesPerSecond: ms > 0 ? round(bytes / (ms / 1_000)) : null };
}

/**
 * One point judged: unreachable is its problem; a restore to it must have restored, hold no row
 * newer than the point, and have replayed to the archive's last commit at or before it, no further.
 */
export function targetResult(
  plan: TargetPlan,
  pass: Pick<Pass, 'failure' | 'tables' | 'dataAge' | 'phases' | 'replayed'> | undefined,
  lastCommitBy: (at: Date) => Date | null,
): TargetResult {
  const base = { at: plan.at.toISOString(), point: plan.point, kind: plan.kind };
  if (plan.kind === 'unreachable' || pass === undefined) {
    const problem = plan.kind === 'unreachable' ? plan.problem : `No restore to ${base.at} was made.`;
    return { ...base, rows: null, newest: null, recoveryMs: null, note: problem, problem };
  }
  // The archive's end is its last commit, whatever the granularity of a time.
  const expected = lastCommitBy(plan.kind === 'end' ? new Date(8.64e15) : plan.at);
  const newest = pass.dataAge?.newest ?? null;
  const replayedTo = pass.replayed?.lastCommit ?? null;
  const problem =
    pass.failure !== undefined
      ? `The restore to ${base.at} failed: ${pass.failure}`
      : pass.replayed === undefined
        ? `The server restored to ${base.at} did not say how far it replayed the archive.`
        : (newerThanTarget(plan.at, newest) ?? replayProblem(plan.at, replayedTo, expected));
  const said = [plan.kind === 'end' ? plan.why : `replayed to ${replayedTo ?? 'no transaction'}`, newest ? `its newest row is from ${newest}` : ''];
  return {
    ...base,
    rows: pass.failure === undefined ? pass.tables.reduce((sum, table) => sum + table.rows, 0) : null,
    newest,
    replayedTo,
    expected: expected?.toISOString() ?? null,
    recoveryMs: round(pass.phases.reduce((sum, phase) => sum + phase.ms, 0)),
    replay: replayFigures(pass),
    note: problem ?? said.filter(Boolean).join('; '),
    ...(problem ? { problem } : {}),
  };
}

/** x-persist's `verify.window.atLeast` and `verify.rpo`, in ms (the schema has checked their form). */
export function promisedOf(settings: Pick<VerifySettings, 'window' | 'rpo'>): { windowMs?: number; rpoMs?: number } {
  const windowMs = settings.window ? parseDuration(settings.window.atLeast) : undefined;
  const rpoMs = settings.rpo ? parseDuration(settings.rpo) : undefined;
  return { ...(windowMs !== undefined ? { windowMs } : {}), ...(rpoMs !== undefined ? { rpoMs } : {}) };
}

/** `--at` and `--points` go through an archive, and not together. */
export function checkPointArguments(request: { at?: readonly Date[]; points?: number }, archive: boolean): void {
  if ((request.at?.length || request.points !== undefined) && !archive)
    throw new UsageError(
      `${request.at?.length ? '--at' : '--points'} restores to a point in time through a continuous archive.`,
      'Give the archive beside the base backup with --archive DIR.',
    );
  if (request.at?.length && request.points !== undefined)
    throw new UsageError('--points proves the window at points of its own, and --at names the points.', 'Give one of them.');
}
