// Trends: a run compared with a baseline run. Two kinds of change are flagged: a verdict that
// changed (a result that passed and now fails, say), and a recovery time regression, where
// the median got slower by more than BOTH thresholds (percent and milliseconds), so that a
// tiny cell's jitter and a slow cell's noise do not raise alarms.
import type { Comparison, RunReport, RegressionThresholds } from './model.ts';
import { round } from '../timing/clock.ts';

export const DEFAULT_THRESHOLDS: RegressionThresholds = { percent: 20, ms: 100 };

export function compareReports(
  baseline: RunReport,
  current: RunReport,
  thresholds: RegressionThresholds = DEFAULT_THRESHOLDS,
  failOnRegression = false,
): Comparison {
  const before = new Map(baseline.results.map((r) => [r.id, r]));
  const after = new Map(current.results.map((r) => [r.id, r]));
  const verdictChanges: Comparison['verdictChanges'] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(id);
    const now = after.get(id);
    if (was?.status === now?.status && was?.observed === now?.observed) continue;
    verdictChanges.push({
      id,
      title: (now ?? was)!.title,
      before: was ? `${was.status}, observed ${was.observed ?? 'nothing'}` : 'absent',
      after: now ? `${now.status}, observed ${now.observed ?? 'nothing'}` : 'absent',
    });
  }
  const regressions: Comparison['regressions'] = [];
  for (const [id, now] of after) {
    const baselineMs = before.get(id)?.timings.summary.recovery?.medianMs;
    const currentMs = now.timings.summary.recovery?.medianMs;
    if (baselineMs === undefined || currentMs === undefined) continue;
    const deltaMs = currentMs - baselineMs;
    const deltaPercent = baselineMs > 0 ? (deltaMs / baselineMs) * 100 : Infinity;
    if (deltaMs > thresholds.ms && deltaPercent > thresholds.percent) {
      regressions.push({
        id,
        title: now.title,
        measure: 'recovery',
        baselineMedianMs: baselineMs,
        currentMedianMs: currentMs,
        deltaMs: round(deltaMs),
        deltaPercent: round(deltaPercent),
      });
    }
  }
  return {
    baseline: { runId: baseline.runId, startedAt: baseline.startedAt },
    thresholds,
    failOnRegression,
    verdictChanges,
    regressions,
  };
}

export function describeRegression(r: Comparison['regressions'][number]): string {
  return `${r.id}: recovery median ${r.baselineMedianMs} ms → ${r.currentMedianMs} ms (+${r.deltaMs} ms, +${r.deltaPercent}%)`;
}
