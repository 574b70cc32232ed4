// The Markdown report: the verdict first, then the storage × disruption matrix, the negative
// controls, timings and the evidence behind every verdict.
import {
  backupFacts,
  type CellResult,
  MATRIX_DISRUPTIONS,
  exitCodeFor,
  killFacts,
  PHASES,
  type Report,
  type RunReport,
  type Status,
  type TimedMeasure,
} from '../model.ts';
import { renderAuditMarkdown } from './audit-markdown.ts';
import { renderCheckMarkdown } from './check-markdown.ts';
import { performanceMarkdown } from './performance-markdown.ts';
import { performanceCount } from './performance-tables.ts';
import { SHARD_COLUMNS, shardEnvironmentNote, shardRow, shardSentence } from './shard-tables.ts';
import { clockLines, filesAtOnceWords, formatOnClock, glanceTable, notRunLines } from './shared.ts';
import { renderVerifyMarkdown } from './verify-markdown.ts';
import { devloopTables } from './devloop-table.ts';
import { powerLossTable } from './power-loss-table.ts';
import { formatBytes, formatMs, itemGrid, killRows, matrixRows, methodOf, sectionsOf, stopModeTable, upgradeTable, type FactTable } from './shared.ts';
import { keptWords } from '../../data/inventory.ts';

const STATUS_MARK: Record<Status, string> = { passed: '✅ passed', failed: '❌ failed', errored: '⚠️ errored' };

/** brief: the summary a CI page shows (no timings, evidence or definitions; report.md has them). */
export function renderMarkdown(report: Report, { brief = false }: { brief?: boolean } = {}): string {
  if (report.kind === 'check') return renderCheckMarkdown(report);
  if (report.kind === 'audit') return renderAuditMarkdown(report);
  if (report.kind === 'verify') return renderVerifyMarkdown(report);
  return renderRunMarkdown(report, brief);
}

function renderRunMarkdown(report: RunReport, brief: boolean): string {
  const details = brief ? [] : [timingsSection(report), measurementsSection(report), evidenceSection(report)];
  return [
    `# Persistence report: run ${report.runId}`,
    verdictLine(report),
    comparisonSection(report),
    settingsBlock(report),
    shardsSection(report),
    glanceSection(report),
    ...sectionsOf(report).map((section) => (section.items ? itemsSection(section.name, section.results) : matrixSection(section.name, section.results))),
    backupSection(report.results.filter((r) => backupFacts(r) !== undefined)),
    killSection(report),
    factSection(stopModeTable(report)),
    factSection(upgradeTable(report)),
    factSection(powerLossTable(report)),
    ...devloopTables(report).map(factSection),
    brief ? '' : performanceMarkdown(report),
    controlsSection(report),
    ...details,
    harnessErrorsSection(report),
    brief ? '' : phaseDefinitionsSection(report),
  ]
    .filter((block) => block !== '')
    .join('\n\n')
    .concat('\n');
}

function verdictLine(report: RunReport): string {
  const { summary } = report;
  const counts = `${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored of ${summary.total}`;
  const controls = summary.controls > 0 ? `; negative controls caught: ${summary.controlsCaught} of ${summary.controls}` : '';
  // The same rule as the exit code: a regression counts when the run was asked to fail on it.
  const ok = exitCodeFor(report) === 0;
  const failures = report.results
    .filter((r) => r.status !== 'passed')
    .map((r) => `- ${STATUS_MARK[r.status]} **${r.title}**: expected ${r.expected}, observed ${r.observed ?? 'nothing'}${r.error ? ` (${r.error})` : ''}`);
  return [`**${ok ? '✅ PASSED' : '❌ NOT PASSED'}**: ${counts}${controls}${performanceCount(report.performance)}.`, ...failures].join('\n');
}

function comparisonSection(report: RunReport): string {
  const comparison = report.comparison;
  if (!comparison) return '';
  const { percent, ms } = comparison.thresholds;
  const lines = [
    `## Compared with run ${comparison.baseline.runId}`,
    `A regression is a median recovery slower by more than ${percent} % and more than ${ms} ms; ${comparison.failOnRegression ? 'regressions fail this run' : 'regressions are reported, not failed (use --fail-on-regression)'}.`,
  ];
  if (comparison.verdictChanges.length === 0 && comparison.regressions.length === 0)
    return [...lines, 'No verdict changed and no recovery time regressed.'].join('\n');
  if (comparison.verdictChanges.length > 0) {
    lines.push(
      '| Verdict changed | Before | Now |',
      '|---|---|---|',
      ...comparison.verdictChanges.map((c) => `| ${c.title} (\`${c.id}\`) | ${c.before} | ${c.after} |`),
    );
  }
  if (comparison.regressions.length > 0) {
    if (comparison.verdictChanges.length > 0) lines.push('');
    lines.push(
      '| Recovery regressed | Baseline median | Now | Change |',
      '|---|---|---|---|',
      ...comparison.regressions.map(
        (r) =>
          `| ${r.title} (\`${r.id}\`) | ${formatMs(r.baselineMedianMs)} | ${formatMs(r.currentMedianMs)} | +${formatMs(r.deltaMs)} (+${r.deltaPercent} %) |`,
      ),
    );
  }
  return lines.join('\n');
}

function settingsBlock(report: RunReport): string {
  const engine = report.environment.engine;
  const images = report.environment.images.map((i) => `\`${i.reference}\` (${i.source}, ${i.id ? i.id.replace('sha256:', '').slice(0, 12) : 'not present'})`);
  return [
    `- Started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(1)} s; ${report.settings.trials} trial(s) per cell, ${filesAtOnceWords(report.settings.filesAtOnce)}; images: ${report.settings.imageSet}`,
    `- Engine: ${engine ? `Docker ${engine.version} (API ${engine.apiVersion}), storage driver ${engine.storageDriver}, ${engine.operatingSystem}` : 'not reachable'}`,
    `- Images: ${images.join(', ') || 'none'}`,
    ...notRunLines(report).map((line) => `- ${line}`),
  ].join('\n');
}

function shardsSection(report: RunReport): string {
  const sentence = shardSentence(report);
  if (sentence) return sentence;
  if (!report.shards) return '';
  return [
    `## Shards`,
    `Merged from ${report.shards.length} shard report(s). ${shardEnvironmentNote(report.shards)}`,
    `| ${SHARD_COLUMNS.join(' | ')} |`,
    `|${SHARD_COLUMNS.map(() => '---').join('|')}|`,
    ...report.shards.map((shard) => `| ${shardRow(shard).join(' | ')} |`),
  ].join('\n');
}

function glanceSection(report: RunReport): string {
  const { header, rows } = glanceTable(report);
  if (rows.length === 0) return '';
  return [
    '## Storage types at a glance',
    'What the scenarios observed (negative controls left out; in brackets: how many observations; — means none), and how long the data took to be back: the median recovery (create + ready + verified) and its range over every trial of that storage and disruption.',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function matrixSection(target: string, results: CellResult[]): string {
  const header = `| Storage | ${MATRIX_DISRUPTIONS.join(' | ')} |\n|---|${MATRIX_DISRUPTIONS.map(() => '---').join('|')}|`;
  const rows = matrixRows(results).map(({ storage, cells }) => `| ${storage} | ${cells.map((c) => (c ? matrixCell(c) : '—')).join(' | ')} |`);
  const version = results.find((r) => r.serverVersion)?.serverVersion;
  return [
    `## ${target}: what survives`,
    version ? `Server: ${version}` : '',
    'Each cell: verdict, observed (expected), median recovery time (create + ready + verified).',
    header,
    ...rows,
  ]
    .filter(Boolean)
    .join('\n');
}

/** For scenarios that judge items separately: one row per setup, one column per item. */
function itemsSection(scenario: string, results: CellResult[]): string {
  const { items, cell } = itemGrid(results);
  const rows = results.map((r) => {
    const cells = items.map((name) => {
      const item = cell(r, name);
      if (!item) return '—';
      const mark = item.observed === item.expected ? '✅' : '❌';
      return item.observed === item.expected ? `${mark} ${item.observed}` : `${mark} ${item.observed} (expected ${item.expected})`;
    });
    const recovery = r.timings.summary.recovery;
    return `| ${r.variant ?? r.storage} | ${cells.join(' | ')} | ${STATUS_MARK[r.status]}${recovery ? ` · ${formatMs(recovery.medianMs)}` : ''} |`;
  });
  const version = results.find((r) => r.serverVersion)?.serverVersion;
  return [
    `## ${scenario}: ${results.length === 1 ? (results[0]?.title ?? scenario) : 'each setup, item by item'}`,
    version ? `Server: ${version}` : '',
    'Each row is a setup, each column one check: what was observed, and what was expected where they differ. Last column: verdict, median recovery time.',
    `| Setup | ${items.join(' | ')} | Verdict |`,
    `|---|${items.map(() => '---').join('|')}|---|`,
    ...rows,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Backup drills: one row per method and target, with what a restore costs and loses. */
function backupSection(results: CellResult[]): string {
  if (results.length === 0) return '';
  const median = (r: CellResult, measure: TimedMeasure) => {
    const stats = r.timings.summary[measure];
    return stats ? formatMs(stats.medianMs) : '—';
  };
  const rows = results.map((r) => {
    const facts = backupFacts(r)!;
    const rpo = facts.rpo
      ? `${facts.rpo.missing} of ${facts.rpo.acknowledged}${facts.rpo.missingBeforeBackup > 0 ? ` (**${facts.rpo.missingBeforeBackup} from before the backup**)` : ''}`
      : '—';
    const restored = !facts.restoredServiceStarted
      ? 'did not start'
      : facts.crashRecovery === null
        ? 'started'
        : facts.crashRecovery
          ? 'started after crash recovery'
          : 'started cleanly';
    const integrity = facts.integrity === 'corrupt' ? ' · **corrupt**' : facts.integrity === 'verified' ? ' · manifest ✓' : '';
    const objects = facts.objects ? (facts.objects.lost.length > 0 ? `**${keptWords(facts.objects)}**` : keptWords(facts.objects)) : '—';
    return `| ${methodOf(r, facts)} | ${r.target} | ${facts.mode} | ${STATUS_MARK[r.status]}: ${r.observed ?? '?'} | ${median(r, 'backup')} | ${median(r, 'restore')} | ${median(r, 'recovery')} | ${facts.archive ? formatBytes(facts.archive.bytes) : '—'}${integrity} | ${rpo} | ${restored} | ${objects} |`;
  });
  return [
    '## Backup and restore',
    'Each row: the original volume destroyed, the backup restored into a new one, the service started on it and its data compared. ' +
      'Times are medians; RTO is restore + create + ready + verified. RPO: acknowledged writes missing after the restore (those made after the backup are expected to be). ' +
      "Objects: the source's views, routines, triggers, events, indexes and constraints, from its catalogues, against the restore's.",
    '| Method | Target | Mode | Verdict | Backup | Restore | RTO | Size | RPO: writes missing | Restored service | Objects |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Crash drills: acknowledged writes after SIGKILL, per target, storage and durability setting. */
function killSection(report: RunReport): string {
  const rows = killRows(report);
  if (rows.length === 0) return '';
  const lines = rows.map(({ result: r, control }) => {
    const k = killFacts(r)!;
    const recovery = r.timings.summary.recovery;
    return `| ${r.target} | ${r.storage} | ${k.durability}${control ? ' (control)' : ''} | ${STATUS_MARK[r.status]}: ${r.observed ?? '?'} | ${k.writes.acknowledged} | ${k.writes.lost} | ${k.writes.unexpected} | ${k.writes.recovered} | ${k.lostPerTrial.join(', ')} | ${k.crashRecovery ? 'yes' : 'no'} | ${recovery ? formatMs(recovery.medianMs) : '—'} |`;
  });
  return [
    '## SIGKILL under write load',
    `Writers commit one row per transaction; the server is killed (docker kill) mid-load and a new container starts on the same storage. Lost: acknowledged but missing; unexpected: present but never written; recovered: in flight at the kill and present. A control is caught when it loses writes in some trial.`,
    '| Target | Storage | Durability | Verdict | Acknowledged | Lost | Unexpected | Recovered | Lost per trial | Crash recovery | Recovery |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

function factSection(table: FactTable | undefined): string {
  if (!table) return '';
  const escape = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = table.rows.map(({ result, cells }) => {
    const withVerdict = [...cells];
    withVerdict.splice(table.verdictColumn, 0, `${STATUS_MARK[result.status]}: ${result.observed ?? '?'}`);
    return `| ${withVerdict.map(escape).join(' | ')} |`;
  });
  return [`## ${table.title}`, table.intro, `| ${table.headers.join(' | ')} |`, `|${table.headers.map(() => '---').join('|')}|`, ...lines].join('\n');
}

function matrixCell(result: CellResult): string {
  const recovery = result.timings.summary.recovery;
  const time = recovery ? ` · ${formatMs(recovery.medianMs)}` : '';
  return `${STATUS_MARK[result.status]}: ${result.observed ?? '?'} (expected ${result.expected})${time}`;
}

function controlsSection(report: RunReport): string {
  if (report.controls.length === 0) return '';
  const rows = report.controls.map(
    (c) => `| ${c.title} | ${c.sabotage} | ${c.cell.status}, observed ${c.cell.observed ?? '?'} | ${c.caught ? '✅ caught' : '❌ NOT caught'} |`,
  );
  return [
    '## Negative controls',
    'Deliberately broken setups. Each must be reported as failed; one that is not caught means the check it sabotages cannot fail.',
    '| Control | What was broken | Harness said | Verdict |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function timingsSection(report: RunReport): string {
  const measures: TimedMeasure[] = [...PHASES, 'recovery'];
  const rows = report.results
    .filter((r) => Object.keys(r.timings.summary).length > 0)
    .map((r) => {
      const cells = measures.map((m) => {
        const s = r.timings.summary[m];
        return s ? `${formatMs(s.medianMs)} / ${s.p95Ms === undefined ? '' : `${formatMs(s.p95Ms)} / `}${formatMs(s.maxMs)}` : '—';
      });
      return `| ${r.id} | ${r.timings.perTrial.length} | ${cells.join(' | ')} |`;
    });
  return [
    '## Recovery timings',
    'Median / max over the trials (median / p95 / max with 5 or more trials), in the phases defined at the end of this report; Trials is how many each figure rests on.',
    `| Cell | Trials | ${measures.join(' | ')} |`,
    `|---|---|${measures.map(() => '---').join('|')}|`,
    ...rows,
  ].join('\n');
}

function measurementsSection(report: RunReport): string {
  const rows = report.results.flatMap((r) =>
    Object.entries(r.measurements ?? {}).map(([name, s]) => {
      const resolution = report.clocks[s.clock].resolutionMs;
      return `| ${r.id} | ${name} | ${s.trials} | ${formatOnClock(s.medianMs, resolution)} | ${formatOnClock(s.maxMs, resolution)} | ${s.clock} |`;
    }),
  );
  if (rows.length === 0) return '';
  return ['## Other measurements', '| Result | Measured | Samples | Median | Max | Clock |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function evidenceSection(report: RunReport): string {
  const all = [...report.results, ...report.controls.map((c) => ({ ...c.cell, title: `Control: ${c.title}` }))];
  const blocks = all.map((r) => [`### ${r.title}`, `\`${r.id}\`: ${r.status}`, ...r.evidence.map((line) => `- ${line}`)].join('\n'));
  return ['## Evidence', ...blocks].join('\n\n');
}

function harnessErrorsSection(report: RunReport): string {
  if (report.harnessErrors.length === 0) return '';
  return ['## Harness errors', ...report.harnessErrors.map((e) => `- ${e}`)].join('\n');
}

function phaseDefinitionsSection(report: RunReport): string {
  const clocks = clockLines(report).map(
    (c) => `- **${c.clock}**${c.phases.length > 0 ? ` (${c.phases.join(', ')})` : ''}: ${c.reads} Resolution ${c.resolution}.`,
  );
  return [
    '## What each phase measures',
    ...Object.entries(report.phaseDefinitions).map(([phase, text]) => `- **${phase}**: ${text}`),
    '',
    '### Clocks',
    'Every duration is one clock read twice, never one clock against another.',
    ...clocks,
  ].join('\n');
}
