// From trials to the report: each figure's median, min and max over its trials, the tuning
// comparisons judged against the trial-to-trial spread, and the throttle control's verdict.
// Pure functions, so every verdict here has a unit test.
import { formatFigure } from '../report/render/performance-tables.ts';
import { median } from '../report/stats.ts';
import type { PerformanceFigure, ThrottleFacts, TuningComparison } from '../report/model.ts';
import type { StorageKind } from '../storage/placement.ts';
import type { MetricDefinition, Readings } from './metrics.ts';

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The figures of one storage type: one per metric the trials read, in the metrics' order. */
export function figuresOf(metrics: MetricDefinition[], storage: StorageKind, trials: Readings[]): PerformanceFigure[] {
  return metrics.flatMap((metric) => {
    const values = trials.map((readings) => readings[metric.id]).filter((value): value is number => value !== undefined);
    if (values.length === 0) return [];
    const rounded = values.map(round);
    return [
      {
        metric: metric.id,
        tool: metric.tool,
        label: metric.label,
        unit: metric.unit,
        better: metric.better,
        storage,
        values: rounded,
        median: round(median(values)),
        min: Math.min(...rounded),
        max: Math.max(...rounded),
      },
    ];
  });
}

export interface TuningSpec {
  id: string;
  target: string;
  title: string;
  settings: string;
  metric: MetricDefinition;
}

/** (max - min) / median of one variant's trials, in percent. */
function spreadPercent(values: number[]): number {
  const middle = median(values);
  return middle === 0 ? 0 : ((Math.max(...values) - Math.min(...values)) / middle) * 100;
}

/**
 * The tuning's effect on one metric: the difference of the medians, and whether the two sets of
 * trials do not overlap at all (beyond the spread). With one trial each there is no spread to
 * compare with, and the finding says so rather than calling any difference real.
 */
export function judgeTuning(spec: TuningSpec, without: number[], withTuning: number[]): TuningComparison {
  const before = median(without);
  const after = median(withTuning);
  const differencePercent = before === 0 ? 0 : Math.round(((after - before) / before) * 1000) / 10;
  const single = without.length < 2 || withTuning.length < 2;
  const spread = single ? null : Math.round(Math.max(spreadPercent(without), spreadPercent(withTuning)) * 10) / 10;
  const apart = Math.min(...withTuning) > Math.max(...without) || Math.max(...withTuning) < Math.min(...without);
  const beyondSpread = single ? null : apart;
  const better = spec.metric.better === 'higher' ? differencePercent > 0 : differencePercent < 0;
  const change = `${spec.metric.label}: ${formatFigure(before)} → ${formatFigure(after)} ${spec.metric.unit} (${differencePercent >= 0 ? '+' : ''}${differencePercent} %)`;
  const finding = single
    ? `${change}; one trial per variant, so no spread to judge the difference against`
    : beyondSpread
      ? `${change}: ${better ? 'better' : 'worse'}, beyond the trial-to-trial spread (${spread} %)`
      : `${change}: within the trial-to-trial spread (${spread} %), no difference shown`;
  return {
    id: spec.id,
    target: spec.target,
    title: spec.title,
    settings: spec.settings,
    metric: spec.metric.id,
    label: spec.metric.label,
    unit: spec.metric.unit,
    better: spec.metric.better,
    without: without.map(round),
    with: withTuning.map(round),
    differencePercent,
    spreadPercent: spread,
    beyondSpread,
    finding,
  };
}

/** The throttle may overshoot a little (fio's first second, the cgroup's accounting), never by 20 %. */
export const THROTTLE_TOLERANCE = 1.2;
export const THROTTLE_DIVISOR = 20;

export function throttleLimit(unthrottledIops: number): number {
  return Math.max(1, Math.floor(unthrottledIops / THROTTLE_DIVISOR));
}

/** Caught when the benchmark saw the throttle: at most 1.2 × the limit. */
export function judgeThrottle(device: string, unthrottledIops: number, limitIops: number, measuredIops: number): ThrottleFacts {
  const ceilingIops = round(limitIops * THROTTLE_TOLERANCE);
  return { device, unthrottledIops: round(unthrottledIops), limitIops, ceilingIops, measuredIops: round(measuredIops), caught: measuredIops <= ceilingIops };
}
