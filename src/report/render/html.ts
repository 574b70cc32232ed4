// The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched),
// for people deciding whether their data and backups hold. The verdict first, then the
// storage matrix, the recovery chart, backups, controls, the evidence per result, and the
// environment it all ran in.
import { backupFacts, type CellResult, MATRIX_DISRUPTIONS, exitCodeFor, killFacts, type Phase, type Report, type RunReport, type Status } from '../model.ts';
import { describeRegression } from '../compare.ts';
import { auditHtml } from './audit-html.ts';
import { checkHtml } from './check-html.ts';
import { verifyHtml } from './verify-html.ts';
import { verifyTitle } from './verify-tables.ts';
import { performanceHtml } from './performance-html.ts';
import { performanceCount } from './performance-tables.ts';
import { devloopTables } from './devloop-table.ts';
import { powerLossTable } from './power-loss-table.ts';
import {
  clockLines,
  notRunLines,
  filesAtOnceWords,
  formatBytes,
  formatMs,
  glanceTable,
  itemGrid,
  killRows,
  matrixRows,
  sectionsOf,
  stopModeTable,
  upgradeTable,
  type FactTable,
  methodOf,
} from './shared.ts';
import { keptWords } from '../../data/inventory.ts';
import { SHARD_COLUMNS, shardEnvironmentNote, shardRow, shardSentence } from './shard-tables.ts';

// Badges, not emoji: a machine without an emoji font would show empty boxes.
const STATUS_TEXT: Record<Status, string> = { passed: badge('passed', 'passed'), failed: badge('failed', 'failed'), errored: badge('errored', 'errored') };

function badge(kind: string, text: string): string {
  return `<span class="badge ${kind}">${text}</span>`;
}
/** The phases a recovery is made of, stacked in the chart in the order they happen. */
const CHART_PHASES: Phase[] = ['restore', 'create', 'ready', 'verified'];
const PHASE_COLOURS: Record<string, string> = { restore: '#8e6bbf', create: '#4f81bd', ready: '#f2a93b', verified: '#5aa469' };

export function renderHtml(report: Report): string {
  const { title, body } = documentOf(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>
`;
}

/** Each command's own document: a check with the audit it tested, an audit, or a run. */
function documentOf(report: Report): { title: string; body: string } {
  switch (report.kind) {
    case 'check':
      return {
        title: `Persistence check: project ${esc(report.audit.project)}`,
        body: `${checkHtml(report, esc)}\n<h2>The audit it tested</h2>\n${auditHtml(report, esc)}`,
      };
    case 'audit':
      return { title: `Persistence audit: project ${esc(report.audit.project)}`, body: auditHtml(report, esc) };
    case 'run':
      return { title: `Persistence report: run ${esc(report.runId)}`, body: runBody(report) };
    case 'verify':
      return { title: esc(verifyTitle(report)), body: verifyHtml(report, esc) };
  }
}

function runBody(report: RunReport): string {
  return [
    verdict(report),
    shards(report),
    comparison(report),
    glance(report),
    matrices(report),
    recoveryChart(report),
    backups(report),
    kills(report),
    factTable('stop-modes', stopModeTable(report)),
    factTable('upgrades', upgradeTable(report)),
    factTable('power-loss', powerLossTable(report)),
    ...devloopTables(report).map((table, index) => factTable(`devloop-${index + 1}`, table)),
    performanceHtml(report, esc),
    controls(report),
    evidence(report),
    environment(report),
  ].join('\n');
}

function verdict(report: RunReport): string {
  const s = report.summary;
  const ok = exitCodeFor(report) === 0;
  const problems = [
    ...report.results
      .filter((r) => r.status !== 'passed')
      .map(
        (r) =>
          `${STATUS_TEXT[r.status]} <strong>${esc(r.title)}</strong>: expected ${esc(r.expected)}, observed ${esc(r.observed ?? 'nothing')}${r.error ? ` (${esc(r.error)})` : ''}`,
      ),
    ...report.controls.filter((c) => !c.caught).map((c) => `${badge('failed', 'not caught')} negative control <strong>${esc(c.title)}</strong>`),
    ...report.harnessErrors.map((e) => `${badge('errored', 'harness error')} ${esc(e)}`),
    ...(report.comparison?.failOnRegression ? report.comparison.regressions.map((r) => `${badge('failed', 'regression')} ${esc(describeRegression(r))}`) : []),
  ];
  return `<section id="verdict" class="${ok ? 'ok' : 'not-ok'}">
<p class="verdict">${ok ? 'PASSED' : 'NOT PASSED'}</p>
<p class="counts"><span class="passed">${s.passed} passed</span> · <span class="failed">${s.failed} failed</span> · <span class="errored">${s.errored} errored</span> of ${s.total}; negative controls caught ${s.controlsCaught} of ${s.controls}${esc(performanceCount(report.performance))}</p>
${problems.length > 0 ? `<ul class="problems">${problems.map((p) => `<li>${p}</li>`).join('')}</ul>` : ''}
<p class="meta">Started ${esc(report.startedAt)}, took ${(report.durationMs / 1000).toFixed(1)} s; ${report.settings.trials} trial(s) per cell, ${esc(filesAtOnceWords(report.settings.filesAtOnce))}; images: ${esc(report.settings.imageSet)}</p>
${notRunLines(report)
  .map((line) => `<p class="meta">${esc(line)}</p>`)
  .join('')}
</section>`;
}

function comparison(report: RunReport): string {
  const c = report.comparison;
  if (!c) return '';
  const rule = `A regression is a median recovery slower by more than ${c.thresholds.percent} % and more than ${c.thresholds.ms} ms; ${c.failOnRegression ? 'regressions fail this run' : 'regressions are reported, not failed'}.`;
  const changes = c.verdictChanges.map((v) => `<tr><td>${esc(v.title)} <code>${esc(v.id)}</code></td><td>${esc(v.before)}</td><td>${esc(v.after)}</td></tr>`);
  const regressions = c.regressions.map(
    (r) =>
      `<tr class="regression"><td>${esc(r.title)} <code>${esc(r.id)}</code></td><td>${formatMs(r.baselineMedianMs)}</td><td>${formatMs(r.currentMedianMs)}</td><td class="failed">+${formatMs(r.deltaMs)} (+${r.deltaPercent} %)</td></tr>`,
  );
  return `<section id="comparison"><h2>Compared with run ${esc(c.baseline.runId)}</h2><p>${esc(rule)}</p>
${changes.length + regressions.length === 0 ? '<p>No verdict changed and no recovery time regressed.</p>' : ''}
${changes.length > 0 ? `<table><thead><tr><th>Verdict changed</th><th>Before</th><th>Now</th></tr></thead><tbody>${changes.join('')}</tbody></table>` : ''}
${regressions.length > 0 ? `<table><thead><tr><th>Recovery regressed</th><th>Baseline median</th><th>Now</th><th>Change</th></tr></thead><tbody>${regressions.join('')}</tbody></table>` : ''}
</section>`;
}

/** The storage types at a glance: what survived each disruption and how long it took to be back. */
function glance(report: RunReport): string {
  const { header, rows } = glanceTable(report);
  if (rows.length === 0) return '';
  return `<section id="glance"><h2>Storage types at a glance</h2>
<p>What the scenarios observed (negative controls left out; in brackets: how many observations; — means none), and the median recovery (create + ready + verified) with its range over every trial of that storage and disruption.</p>
<table><thead><tr>${header.map((name) => `<th>${esc(name)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell, index) => (index === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table></section>`;
}

function matrices(report: RunReport): string {
  const blocks = sectionsOf(report).map(({ name, items, results }) => (items ? itemsTable(name, results) : matrixTable(name, results)));
  if (blocks.length === 0) return '';
  return `<section id="matrix"><h2>What survives</h2>${blocks.join('\n')}</section>`;
}

function matrixTable(target: string, results: CellResult[]): string {
  const rows = matrixRows(results).map(
    ({ storage, cells }) =>
      `<tr><th>${esc(storage)}</th>${cells.map((c) => (c ? `<td class="${c.status}">${STATUS_TEXT[c.status]}<br>observed <b>${esc(c.observed ?? '?')}</b>, expected ${esc(c.expected)}</td>` : '<td>—</td>')).join('')}</tr>`,
  );
  const version = results.find((r) => r.serverVersion)?.serverVersion;
  return `<h3>${esc(target)}</h3>${version ? `<p class="meta">${esc(version)}</p>` : ''}
<table class="matrix"><thead><tr><th>Storage</th>${MATRIX_DISRUPTIONS.map((d) => `<th>${d}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function itemsTable(scenario: string, results: CellResult[]): string {
  const { items, cell } = itemGrid(results);
  const rows = results.map((r) => {
    const cells = items.map((name) => {
      const item = cell(r, name);
      if (!item) return '<td>—</td>';
      const as = item.observed === item.expected;
      return `<td class="${as ? 'passed' : 'failed'}">${esc(item.observed)}${as ? '' : ` (expected ${esc(item.expected)})`}</td>`;
    });
    return `<tr><th>${esc(r.variant ?? r.storage)}</th>${cells.join('')}<td class="${r.status}">${STATUS_TEXT[r.status]}</td></tr>`;
  });
  return `<h3>${esc(scenario)}</h3>
<table class="items"><thead><tr><th>Setup</th>${items.map((i) => `<th>${esc(i)}</th>`).join('')}<th>Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * One horizontal bar per result with a measured recovery: the median of each phase, stacked,
 * and a tick at the slowest trial's recovery. All bars share one scale.
 */
function recoveryChart(report: RunReport): string {
  const measured = report.results.filter((r) => r.timings.summary.recovery !== undefined);
  if (measured.length === 0) return '';
  const scaleMs = Math.max(...measured.map((r) => r.timings.summary.recovery!.maxMs), 1);
  const label = 330;
  const plot = 560;
  const row = 22;
  const height = measured.length * row + 40;
  const x = (ms: number) => label + (ms / scaleMs) * plot;
  const bars = measured.map((r, index) => {
    const y = 10 + index * row;
    let start = 0;
    const segments = CHART_PHASES.flatMap((phase) => {
      const median = r.timings.summary[phase]?.medianMs;
      if (median === undefined) return [];
      const rect = `<rect x="${x(start).toFixed(1)}" y="${y}" width="${Math.max((median / scaleMs) * plot, 0.5).toFixed(1)}" height="${row - 6}" fill="${PHASE_COLOURS[phase]}"><title>${esc(`${r.id}: ${phase} median ${formatMs(median)}`)}</title></rect>`;
      start += median;
      return [rect];
    });
    const recovery = r.timings.summary.recovery!;
    const tick = `<line class="max" x1="${x(recovery.maxMs).toFixed(1)}" x2="${x(recovery.maxMs).toFixed(1)}" y1="${y - 2}" y2="${y + row - 4}"><title>${esc(`${r.id}: slowest of ${recovery.trials} trial(s) ${formatMs(recovery.maxMs)}`)}</title></line>`;
    return `<g class="bar" data-id="${esc(r.id)}"><text x="${label - 8}" y="${y + row / 2}" text-anchor="end">${esc(shorten(r.id, 44))}</text>${segments.join('')}${tick}<text class="value" x="${(x(Math.max(recovery.maxMs, start)) + 6).toFixed(1)}" y="${y + row / 2}">${formatMs(recovery.medianMs)}</text></g>`;
  });
  const legend = CHART_PHASES.map(
    (phase, i) =>
      `<g transform="translate(${label + i * 110},${height - 18})"><rect width="12" height="12" fill="${PHASE_COLOURS[phase]}"/><text x="18" y="10">${phase}</text></g>`,
  ).join('');
  return `<section id="recovery"><h2>Recovery time per result</h2>
<p>Median of each phase over the trials, stacked (restore only in backup drills); the tick marks the slowest trial. Scale: 0 to ${formatMs(scaleMs)}.</p>
<svg class="chart" role="img" aria-label="Recovery time per result" viewBox="0 0 ${label + plot + 90} ${height}" width="100%">${bars.join('\n')}${legend}</svg>
</section>`;
}

function backups(report: RunReport): string {
  const results = report.results.filter((r) => backupFacts(r) !== undefined);
  if (results.length === 0) return '';
  const median = (r: CellResult, measure: 'backup' | 'restore' | 'recovery') => {
    const stats = r.timings.summary[measure];
    return stats ? formatMs(stats.medianMs) : '—';
  };
  const rows = results.map((r) => {
    const facts = backupFacts(r)!;
    const rpo = facts.rpo
      ? `${facts.rpo.missing} of ${facts.rpo.acknowledged}${facts.rpo.missingBeforeBackup > 0 ? ` (<b>${facts.rpo.missingBeforeBackup} from before the backup</b>)` : ''}`
      : '—';
    const started = !facts.restoredServiceStarted
      ? 'did not start'
      : facts.crashRecovery === null
        ? 'started'
        : facts.crashRecovery
          ? 'after crash recovery'
          : 'cleanly';
    const size = facts.archive
      ? `${formatBytes(facts.archive.bytes)}${facts.integrity === 'corrupt' ? ' <b>corrupt</b>' : facts.integrity === 'verified' ? ' · manifest verified' : ''}`
      : '—';
    const objects = facts.objects ? (facts.objects.lost.length > 0 ? `<b>${esc(keptWords(facts.objects))}</b>` : esc(keptWords(facts.objects))) : '—';
    return `<tr><td>${esc(methodOf(r, facts))}</td><td>${esc(r.target)}</td><td>${esc(facts.mode)}</td><td class="${r.status}">${STATUS_TEXT[r.status]}: ${esc(r.observed ?? '?')}</td><td>${median(r, 'backup')}</td><td>${median(r, 'restore')}</td><td>${median(r, 'recovery')}</td><td>${size}</td><td>${rpo}</td><td>${started}</td><td>${objects}</td></tr>`;
  });
  return `<section id="backups"><h2>Backup and restore</h2>
<p>The original volume destroyed, the backup restored into a new one, the service started on it and its data compared. RTO = restore + create + ready + verified (medians). RPO: acknowledged writes missing after the restore. Objects: the source's views, routines, triggers, events, indexes and constraints, from its catalogues, against the restore's.</p>
<table><thead><tr><th>Method</th><th>Target</th><th>Mode</th><th>Verdict</th><th>Backup</th><th>Restore</th><th>RTO</th><th>Size</th><th>Writes missing</th><th>Restored service</th><th>Objects</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function kills(report: RunReport): string {
  const rows = killRows(report).map(({ result: r, control }) => {
    const k = killFacts(r)!;
    return `<tr><td>${esc(r.target)}</td><td>${esc(r.storage)}</td><td>${esc(k.durability)}${control ? ' (control)' : ''}</td><td class="${r.status}">${STATUS_TEXT[r.status]}: ${esc(r.observed ?? '?')}</td><td>${k.writes.acknowledged}</td><td>${k.writes.lost}</td><td>${k.writes.unexpected}</td><td>${k.writes.recovered}</td><td>${k.lostPerTrial.join(', ')}</td><td>${k.crashRecovery ? 'yes' : 'no'}</td></tr>`;
  });
  if (rows.length === 0) return '';
  return `<section id="kills"><h2>SIGKILL under write load</h2>
<p>Writers commit one row per transaction; the server is killed mid-load and a new container starts on the same storage. Lost: acknowledged but missing. A control is caught when it loses writes in some trial.</p>
<table><thead><tr><th>Target</th><th>Storage</th><th>Durability</th><th>Verdict</th><th>Acknowledged</th><th>Lost</th><th>Unexpected</th><th>Recovered</th><th>Lost per trial</th><th>Crash recovery</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function factTable(id: string, table: FactTable | undefined): string {
  if (!table) return '';
  const rows = table.rows.map(({ result: r, cells }) => {
    const tds = cells.map((cell) => `<td>${esc(cell)}</td>`);
    tds.splice(table.verdictColumn, 0, `<td class="${r.status}">${STATUS_TEXT[r.status]}: ${esc(r.observed ?? '?')}</td>`);
    return `<tr>${tds.join('')}</tr>`;
  });
  return `<section id="${id}"><h2>${esc(table.title)}</h2>
<p>${esc(table.intro)}</p>
<table><thead><tr>${table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function controls(report: RunReport): string {
  if (report.controls.length === 0) return '';
  const rows = report.controls.map(
    (c) =>
      `<tr><td>${esc(c.title)}</td><td>${esc(c.sabotage)}</td><td>${esc(c.cell.status)}, observed ${esc(c.cell.observed ?? '?')}</td><td class="${c.caught ? 'passed' : 'failed'}">${c.caught ? badge('passed', 'caught') : badge('failed', 'NOT caught')}</td></tr>`,
  );
  return `<section id="controls"><h2>Negative controls</h2>
<p>Deliberately broken setups. Each must be reported as failed; one that is not caught means the check it sabotages cannot fail.</p>
<table><thead><tr><th>Control</th><th>What was broken</th><th>Harness said</th><th>Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function evidence(report: RunReport): string {
  const all = [...report.results, ...report.controls.map((c) => ({ ...c.cell, title: `Control: ${c.title}` }))];
  const blocks = all.map((r) => {
    const phases = Object.entries(r.timings.summary).map(
      ([phase, s]) => `${phase} ${formatMs(s.medianMs)} (max ${formatMs(s.maxMs)}, ${s.trials} trial${s.trials === 1 ? '' : 's'})`,
    );
    return `<details class="${r.status}"><summary>${STATUS_TEXT[r.status]} ${esc(r.title)} <code>${esc(r.id)}</code></summary>
<ul>${r.evidence.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>
${phases.length > 0 ? `<p class="meta">Timings: ${esc(phases.join('; '))}</p>` : ''}
${fingerprintTable(r)}
</details>`;
  });
  return `<section id="evidence"><h2>Evidence</h2>${blocks.join('\n')}</section>`;
}

function fingerprintTable(result: CellResult): string {
  const before = result.fingerprintBefore ?? {};
  const after = result.fingerprintAfter ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (names.length === 0) return '';
  const describe = (t: { present: boolean; rows: number; contentHash: string | null } | undefined) =>
    t?.present ? `${t.rows} · ${esc((t.contentHash ?? '').slice(0, 12))}` : 'absent';
  const rows = names.map(
    (name) =>
      `<tr><td>${esc(name)}</td><td>${describe(before[name])}</td><td class="${describe(before[name]) === describe(after[name]) ? '' : 'failed'}">${describe(after[name])}</td></tr>`,
  );
  return `<table class="fingerprint"><thead><tr><th>Fingerprint</th><th>Before</th><th>After</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function shards(report: RunReport): string {
  const sentence = shardSentence(report);
  if (sentence) return `<p class="meta">${esc(sentence)}</p>`;
  if (!report.shards) return '';
  const rows = report.shards.map(
    (shard) =>
      `<tr>${shardRow(shard)
        .map((cell) => `<td>${esc(cell)}</td>`)
        .join('')}</tr>`,
  );
  return `<section id="shards"><h2>Shards</h2>
<p>Merged from ${report.shards.length} shard report(s). ${esc(shardEnvironmentNote(report.shards))}</p>
<table><thead><tr>${SHARD_COLUMNS.map((column) => `<th>${column}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function environment(report: RunReport): string {
  const engine = report.environment.engine;
  const images = report.environment.images.map(
    (i) =>
      `<tr><td>${esc(i.target)}</td><td><code>${esc(i.reference)}</code></td><td>${esc(i.source)}</td><td><code>${esc(i.id ?? 'not present')}</code></td></tr>`,
  );
  return `<section id="environment"><h2>Environment</h2>
<p>${engine ? `Docker ${esc(engine.version)} (API ${esc(engine.apiVersion)}), storage driver ${esc(engine.storageDriver)}, ${esc(engine.operatingSystem)}` : 'Engine not reachable'}; Node ${esc(report.environment.node)} on ${esc(report.environment.platform)}; ${esc(report.tool.name)} ${esc(report.tool.version)}</p>
<table><thead><tr><th>Target</th><th>Image</th><th>Source</th><th>Id</th></tr></thead><tbody>${images.join('')}</tbody></table>
<h3>What each phase measures</h3>
<dl>${Object.entries(report.phaseDefinitions)
    .map(([phase, text]) => `<dt>${esc(phase)}</dt><dd>${esc(text)}</dd>`)
    .join('')}</dl>
<h3>Clocks</h3>
<p>Every duration is one clock read twice, never one clock against another.</p>
<dl>${clockLines(report)
    .map(
      (c) => `<dt>${esc(c.clock)}${c.phases.length > 0 ? ` (${esc(c.phases.join(', '))})` : ''}</dt><dd>${esc(c.reads)} Resolution ${esc(c.resolution)}.</dd>`,
    )
    .join('')}</dl>
</section>`;
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `…${text.slice(-(length - 1))}`;
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0 1em; max-width: 100%; } th, td { border: 1px solid #ddd; padding: .3em .6em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #f4f4f4; }
td.passed { background: #eef8ee; } td.failed { background: #fdecec; } td.errored { background: #fff6e0; }
#verdict { padding: .8em 1.2em; border-radius: 6px; } #verdict.ok { background: #eef8ee; } #verdict.not-ok { background: #fdecec; }
.verdict { font-size: 1.6em; font-weight: bold; margin: 0; } .meta { color: #666; }
.perf-charts { display: flex; flex-wrap: wrap; gap: 0 1.5em; } figure.perf { margin: .5em 0; } figure.perf figcaption { font-weight: 600; font-size: .95em; }
.perf-chart text { font-size: 11px; fill: #333; } .perf-chart line.spread { stroke: #000; stroke-width: 2; }
.timeline text { font-size: 11px; fill: #333; } .timeline .reachable { fill: #8fcf8f; } .timeline .gap { fill: #c0392b; } .timeline .unreachable { fill: #ddd; }
.timeline line.tick { stroke: #000; stroke-width: 2; } .timeline line.unreached { stroke: #c0392b; }
.chart text { font-size: 11px; fill: #333; } .chart .value { fill: #555; } .chart line.max { stroke: #000; stroke-width: 2; }
details { border: 1px solid #ddd; border-radius: 4px; margin: .4em 0; padding: .3em .8em; }
details.failed { border-color: #e0a0a0; } details.errored { border-color: #e8c070; }
summary { cursor: pointer; } code { font-size: .9em; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; font-size: .85em; font-weight: 600; }
.badge.passed { background: #3c8d40; } .badge.failed { background: #c0392b; } .badge.errored { background: #d68910; }
dt { font-weight: bold; } dd { margin: 0 0 .5em 1.5em; }
`;
