// Summary statistics over trials. The median, not the mean: one slow trial on a busy
// machine should not move the figure people compare.
import { OPTIONAL_RECOVERY_PHASES, PHASES, RECOVERY_PHASES, type MeasureStats, type TimedMeasure, type TrialTiming } from './model.ts';
import { round } from '../timing/clock.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Trials needed before a 95th percentile is reported. */
export const P95_MIN_TRIALS = 5;

export function statsOf(values: readonly number[]): MeasureStats | undefined {
  if (values.length === 0) return undefined;
  return {
    trials: values.length,
    medianMs: round(median(values)),
    minMs: round(Math.min(...values)),
    maxMs: round(Math.max(...values)),
    ...(values.length >= P95_MIN_TRIALS ? { p95Ms: round(percentile(values, 95)) } : {}),
  };
}

/** Nearest-rank percentile: a value that was really measured, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function recoveryOf(phasesMs: TrialTiming['phasesMs']): number | null {
  const parts = RECOVERY_PHASES.map((phase) => phasesMs[phase]);
  if (!parts.every((ms) => ms !== undefined)) return null;
  const optional = OPTIONAL_RECOVERY_PHASES.map((phase) => phasesMs[phase] ?? 0);
  return round([...parts, ...optional].reduce((a, b) => a + b, 0));
}

export function summariseTimings(perTrial: TrialTiming[]): Partial<Record<TimedMeasure, MeasureStats>> {
  const summary: Partial<Record<TimedMeasure, MeasureStats>> = {};
  for (const phase of PHASES) {
    const stats = statsOf(perTrial.flatMap((t) => (t.phasesMs[phase] === undefined ? [] : [t.phasesMs[phase]])));
    if (stats) summary[phase] = stats;
  }
  const recovery = statsOf(perTrial.flatMap((t) => (t.recoveryMs === null ? [] : [t.recoveryMs])));
  if (recovery) summary.recovery = recovery;
  return summary;
}
