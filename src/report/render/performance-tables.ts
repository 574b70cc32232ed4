// The performance section as tables, shared by Markdown and HTML: each metric against the four
// storage types (median and the trials' range), the seed's claims beside the measured ratios,
// the tuning comparisons, O_DIRECT, space and block I/O, and the throttle control.
import type { Performance, PerformanceFigure } from '../model.ts';
import { STORAGE_KINDS } from '../../storage/placement.ts';
import { formatBytes } from './shared.ts';

/** A figure as people read it: whole numbers with separators from 100, else three significant digits. */
export function formatFigure(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(value >= 1 ? 2 : 3);
}

export interface PerformanceTable {
  id: string;
  title: string;
  header: string[];
  rows: string[][];
}

/** "1,234 (1,200–1,300)": the median and, with more than one trial, the range. */
export function describeFigure(figure: PerformanceFigure): string {
  const range = figure.values.length > 1 ? ` (${formatFigure(figure.min)}–${formatFigure(figure.max)})` : '';
  return `${formatFigure(figure.median)}${range}`;
}

/** The metrics in report order, each with its figure per storage type. */
export function metricsOf(performance: Performance): Array<{ metric: PerformanceFigure; byStorage: Map<string, PerformanceFigure> }> {
  const metrics = new Map<string, PerformanceFigure[]>();
  for (const figure of performance.figures) metrics.set(figure.metric, [...(metrics.get(figure.metric) ?? []), figure]);
  return [...metrics.values()].map((figures) => ({ metric: figures[0] as PerformanceFigure, byStorage: new Map(figures.map((f) => [f.storage, f])) }));
}

/** "48 figures on 4 storage types, 2 tuning comparisons": what a performance run produced, for the verdict line. */
export function performanceCount(performance: Performance | undefined): string {
  if (!performance) return '';
  const storages = new Set(performance.figures.map((f) => f.storage)).size;
  return `; storage performance: ${performance.figures.length} figures on ${storages} storage type(s), ${performance.tuning.length} tuning comparison(s)`;
}

export function describeMachine(performance: Performance): string {
  const m = performance.machine;
  const parts = [
    m.engineVersion ? `Docker engine ${m.engineVersion}` : undefined,
    m.storageDriver ? `storage driver ${m.storageDriver}` : undefined,
    m.dataRoot ? `data root ${m.dataRoot}${m.filesystem ? ` on ${m.filesystem}` : ''}${m.device ? ` on ${m.device}` : ''}` : undefined,
    m.kernel ? `kernel ${m.kernel}` : undefined,
    m.cgroup ? `cgroup ${m.cgroup}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `Measured on this machine: ${parts.join(', ')}.` : 'The machine was not described (no engine facts were recorded).';
}

export function describeThrottle(performance: Performance): string {
  const t = performance.throttle;
  if (!t) return 'The throttle control did not run.';
  const verdict = t.caught
    ? 'caught: the benchmark saw the throttle'
    : 'NOT caught: the benchmark did not see a 20× slowdown, so its figures cannot be trusted';
  return `Negative control: 4 KiB O_DIRECT writes on a named volume, ${formatFigure(t.unthrottledIops)} IOPS as it is; with --device-write-iops ${t.device}:${t.limitIops} (a twentieth) ${formatFigure(t.measuredIops)} IOPS, at most ${formatFigure(t.ceilingIops)} allowed: ${verdict}.`;
}

export function performanceTables(performance: Performance): PerformanceTable[] {
  const storages = STORAGE_KINDS.filter((storage) => performance.figures.some((f) => f.storage === storage));
  return [
    {
      id: 'claims',
      title: "The seed's claims, measured",
      header: ['The seed says', 'Measured here'],
      rows: performance.claims.map((c) => [c.seed, c.measured]),
    },
    {
      id: 'figures',
      title: 'Figures per storage type (median, and the range over trials)',
      header: ['Metric', 'Unit', ...storages],
      rows: metricsOf(performance).map(({ metric, byStorage }) => [
        `${metric.label}${metric.better === 'higher' ? ' ↑' : ' ↓'}`,
        metric.unit,
        ...storages.map((storage) => {
          const figure = byStorage.get(storage);
          return figure ? describeFigure(figure) : '—';
        }),
      ]),
    },
    {
      id: 'tuning',
      title: "The seed's tuning flags, with and without (named volume)",
      header: ['Tuning', 'Without', 'With', 'Difference', 'Trial spread', 'Finding'],
      rows: performance.tuning.map((t) => [
        t.title,
        t.without.map(formatFigure).join(', '),
        t.with.map(formatFigure).join(', '),
        `${t.differencePercent >= 0 ? '+' : ''}${t.differencePercent} %`,
        t.spreadPercent === null ? 'one trial' : `${t.spreadPercent} %`,
        t.beyondSpread === null ? 'no spread to compare with' : t.beyondSpread ? 'beyond the spread' : 'within the spread',
      ]),
    },
    {
      id: 'direct-io',
      title: 'O_DIRECT',
      header: ['Storage', 'Accepted', 'What it means'],
      rows: performance.directIo.map((d) => [d.storage, d.accepted ? 'yes' : 'no', d.note]),
    },
    {
      id: 'space',
      title: 'Space taken after the dataset was written',
      header: ['Storage', 'What', 'Size', 'Measured by'],
      rows: performance.space.map((s) => [s.storage, s.subject, s.bytes === null ? 'unknown' : formatBytes(s.bytes), s.source]),
    },
    {
      id: 'block-io',
      title: "Block I/O during the benchmark (the engine's stats)",
      header: ['Storage', 'Container', 'Read', 'Written'],
      rows: performance.blockIo.map((b) => [b.storage, b.subject, formatBytes(b.readBytes), formatBytes(b.writeBytes)]),
    },
  ].filter((table) => table.rows.length > 0);
}
