// `--at TIME`: the points in time a restore is taken to, and what each one can be. A time inside
// the window is replayed to; one past the last commit of an unbroken archive is its end (the same
// data, said so); one past a gap, or before the base backup's end, cannot be reached: a problem.
import { UsageError } from '../errors.ts';
import type { ArchiveWindow } from '../services/artifact-kits.ts';
import { describeDuration } from '../timing/durations.ts';

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

export type TargetPlan = { at: Date; kind: 'time' } | { at: Date; kind: 'end'; why: string } | { at: Date; kind: 'unreachable'; problem: string };

/** What restoring to `at` means for this window. */
export function planTarget(at: Date, window: ArchiveWindow): TargetPlan {
  const iso = at.toISOString();
  if (window.start !== null && at.getTime() < Date.parse(window.start))
    return { at, kind: 'unreachable', problem: `--at ${iso} is before the base backup's end (${window.start}): no restore of this backup reaches it.` };
  if (window.end === null || at.getTime() < Date.parse(window.end)) return { at, kind: 'time' };
  const gap = window.gaps[0];
  if (gap)
    return {
      at,
      kind: 'unreachable',
      problem: `--at ${iso} cannot be reached: the archive can be replayed only to ${window.end}, where ${gap.missing} is missing.`,
    };
  return { at, kind: 'end', why: `past the archive's last commit (${window.end}): the archive's end, as the restore above replayed it` };
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
