// The performance section in HTML: the machine, one inline SVG chart per metric (the four
// storage types side by side, each bar the median with the trials' range drawn across it),
// then the same tables as the Markdown.
import type { RunReport } from '../model.ts';
import { describeFigure, describeMachine, describeThrottle, formatFigure, metricsOf, performanceTables } from './performance-tables.ts';

type Escape = (text: string) => string;

const STORAGE_COLOURS: Record<string, string> = { 'named-volume': '#4f81bd', 'bind-mount': '#8e6bbf', tmpfs: '#5aa469', 'container-layer': '#f2a93b' };
const LABEL = 110;
const PLOT = 250;
const ROW = 24;

function chart(metric: ReturnType<typeof metricsOf>[number], esc: Escape): string {
  const figures = [...metric.byStorage.values()];
  const scale = Math.max(...figures.map((f) => f.max), Number.MIN_VALUE);
  const x = (value: number) => LABEL + (value / scale) * PLOT;
  const bars = figures.map((figure, index) => {
    const y = 6 + index * ROW;
    const middle = y + (ROW - 8) / 2;
    const spread =
      figure.values.length > 1
        ? `<line class="spread" x1="${x(figure.min).toFixed(1)}" x2="${x(figure.max).toFixed(1)}" y1="${middle}" y2="${middle}"><title>${esc(`range over ${figure.values.length} trials: ${formatFigure(figure.min)}–${formatFigure(figure.max)}`)}</title></line>`
        : '';
    return `<g class="bar" data-storage="${esc(figure.storage)}"><text x="${LABEL - 6}" y="${middle + 4}" text-anchor="end">${esc(figure.storage)}</text><rect x="${LABEL}" y="${y}" width="${Math.max(x(figure.median) - LABEL, 0.5).toFixed(1)}" height="${ROW - 8}" fill="${STORAGE_COLOURS[figure.storage] ?? '#888'}"><title>${esc(`${figure.storage}: median ${formatFigure(figure.median)} ${figure.unit}`)}</title></rect>${spread}<text class="value" x="${(x(figure.max) + 6).toFixed(1)}" y="${middle + 4}">${esc(describeFigure(figure))}</text></g>`;
  });
  const height = figures.length * ROW + 10;
  const { label, unit, better } = metric.metric;
  return `<figure class="perf" data-metric="${esc(metric.metric.metric)}"><figcaption>${esc(label)} (${esc(unit)}, ${better} is better)</figcaption>
<svg class="perf-chart" role="img" aria-label="${esc(`${label} per storage type`)}" width="${LABEL + PLOT + 160}" height="${height}" viewBox="0 0 ${LABEL + PLOT + 160} ${height}">${bars.join('')}</svg></figure>`;
}

export function performanceHtml(report: RunReport, esc: Escape): string {
  const performance = report.performance;
  if (!performance) return '';
  const tables = performanceTables(performance).map(
    (table) =>
      `<h3>${esc(table.title)}</h3><table class="perf-${esc(table.id)}"><thead><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${table.rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
  );
  const caught = performance.throttle?.caught === true;
  return `<section id="performance"><h2>Storage performance</h2>
<p class="meta">${esc(describeMachine(performance))}</p>
<p class="${caught ? 'passed' : 'failed'}">${esc(describeThrottle(performance))}</p>
<div class="perf-charts">${metricsOf(performance)
    .map((metric) => chart(metric, esc))
    .join('\n')}</div>
${tables.join('\n')}
<ul class="notes">${performance.notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>
</section>`;
}
