// What every human-readable format shows the same way: how results are grouped into
// sections, and how durations and sizes are written.
import { describeGlanceCell, describeRecovery, GLANCE_PROPERTIES, glanceRecovery, storageGlance } from '../storage-glance.ts';
import {
  type BackupFacts,
  type CellResult,
  MATRIX_DISRUPTIONS,
  type ItemOutcome,
  killFacts,
  type MatrixDisruption,
  type RunReport,
  type ShutdownVerdict,
  stopModeFacts,
  upgradeFacts,
} from '../model.ts';
import { STORAGE_KINDS, type StorageKind } from '../../storage/placement.ts';

/** Matrix results are grouped by target; results judged item by item, by scenario. */
export function sectionsOf(report: RunReport): Array<{ name: string; items: boolean; results: CellResult[] }> {
  const sections = new Map<string, { name: string; items: boolean; results: CellResult[] }>();
  for (const result of report.results) {
    // Backup, crash, stop-mode and upgrade drills have tables of their own.
    if (result.details) continue;
    const items = result.items !== undefined;
    const name = items ? result.scenario : result.variant ? `${result.target} (${result.variant})` : result.target;
    const key = `${items}:${name}`;
    const section = sections.get(key) ?? { name, items, results: [] };
    section.results.push(result);
    sections.set(key, section);
  }
  return [...sections.values()];
}

/** Scenarios of a run of all that this machine could not run, each with why. */
export function notRunLines(report: Pick<RunReport, 'notRun'>): string[] {
  return (report.notRun ?? []).map((n) => `Not run: ${n.scenario} (${n.reason})`);
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** A figure read from a clock: one below the clock's resolution is written as below it, never as 0. */
export function formatOnClock(ms: number, resolutionMs: number): string {
  return ms < resolutionMs ? `< ${resolutionWords(resolutionMs)}` : formatMs(ms);
}

/** A clock's resolution: below a millisecond as it is (0.1 ms), else as any duration. */
function resolutionWords(ms: number): string {
  return ms < 1 ? `${ms} ms` : formatMs(ms);
}

/** Which clock each phase was read from, and what each clock reads: the same lines in every format. */
export function clockLines(report: Pick<RunReport, 'phaseClocks' | 'clocks'>): Array<{ clock: string; phases: string[]; reads: string; resolution: string }> {
  return Object.entries(report.clocks).map(([clock, definition]) => ({
    clock,
    phases: Object.entries(report.phaseClocks)
      .filter(([, used]) => used === clock)
      .map(([phase]) => phase),
    reads: definition.reads,
    resolution: resolutionWords(definition.resolutionMs),
  }));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** The storage × disruption grid of one target: a row per storage type that has any result. */
export function matrixRows(results: CellResult[]): Array<{ storage: StorageKind; cells: Array<CellResult | undefined> }> {
  return STORAGE_KINDS.flatMap((storage) => {
    const cells = MATRIX_DISRUPTIONS.map((d: MatrixDisruption) => results.find((r) => r.storage === storage && r.disruption === d));
    return cells.every((c) => c === undefined) ? [] : [{ storage, cells }];
  });
}

/** For results judged item by item: the item names in order, and a lookup per result. */
export function itemGrid(results: CellResult[]): { items: string[]; cell: (result: CellResult, item: string) => ItemOutcome | undefined } {
  const items = [...new Set(results.flatMap((r) => (r.items ?? []).map((i) => i.item)))];
  return { items, cell: (result, item) => result.items?.find((i) => i.item === item) };
}

/** Results and controls alike that carry one kind of drill facts: one row each. */
export function rowsHaving(report: RunReport, has: (result: CellResult) => boolean): Array<{ result: CellResult; control: boolean }> {
  return [
    ...report.results.filter(has).map((result) => ({ result, control: false })),
    ...report.controls.filter((c) => has(c.cell)).map((c) => ({ result: c.cell, control: true })),
  ];
}

/** Crash drills, results and controls alike: one row each, with what the kill did to acknowledged writes. */
export function killRows(report: RunReport): Array<{ result: CellResult; control: boolean }> {
  return rowsHaving(report, (r) => killFacts(r) !== undefined);
}

/**
 * A table both Markdown and HTML show: plain-text cells, the verdict inserted by each renderer
 * at `verdictColumn` in its own style.
 */
export interface FactTable {
  title: string;
  intro: string;
  headers: string[];
  verdictColumn: number;
  rows: Array<{ result: CellResult; control: boolean; cells: string[] }>;
}

const SHUTDOWN_TEXT: Record<ShutdownVerdict, string> = {
  clean: 'clean shutdown',
  interrupted: 'shutdown interrupted',
  'crash-recovery': 'crash recovery',
  unknown: 'neither in the log',
};

export function stopModeTable(report: RunReport): FactTable | undefined {
  const rows = rowsHaving(report, (r) => stopModeFacts(r) !== undefined).map(({ result, control }) => {
    const s = stopModeFacts(result)!;
    const create = result.timings.summary.create?.medianMs;
    const ready = result.timings.summary.ready?.medianMs;
    const backUp = create !== undefined && ready !== undefined ? formatMs(create + ready) : '—';
    return {
      result,
      control,
      cells: [
        result.target,
        result.storage,
        `${s.command}${control ? ' (control)' : ''}`,
        `${SHUTDOWN_TEXT[s.shutdown]} (expected ${SHUTDOWN_TEXT[s.expectedShutdown]})`,
        s.exitCode === null ? '—' : String(s.exitCode),
        s.logLine === null ? '—' : withoutLogPrefix(s.logLine),
        backUp,
        s.serverRecoveryMs === null ? '—' : `${(s.serverRecoveryMs / 1000).toFixed(2)} s`,
        `${s.writes.acknowledged} / ${s.writes.lost}`,
      ],
    };
  });
  if (rows.length === 0) return undefined;
  return {
    title: 'Stop modes',
    intro:
      "Each way of stopping a database under write load, then a start of the same container. Shutdown is what the server's own log says " +
      "(interrupted: killed before it finished shutting down, yet no crash recovery was needed); exit: the stopped container's exit code (137: killed); back up in: create + ready (medians), until it answered; " +
      'redo: the recovery time the server printed, where it prints one. Writes: acknowledged before the stop / lost after the start.',
    headers: ['Target', 'Storage', 'Command', 'Verdict', 'Shutdown', 'Exit', "Server's log", 'Back up in', 'Redo', 'Writes acknowledged / lost'],
    verdictColumn: 3,
    rows,
  };
}

/** A server log line without its timestamp and process prefix, for a table cell (the evidence keeps it whole). */
export function withoutLogPrefix(line: string): string {
  return line.replace(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?: UTC)? (?:\[\d+\] |\d+ )?/, '');
}

/** A server's name and version number, where its version string starts so ("PostgreSQL 17.12 (Debian …) on x86_64 …"). */
const NAMED_VERSION = /^[A-Z][A-Za-z]+ \d[\d.]*/;

/** "PostgreSQL 17.12 (Debian …) on x86_64 …" → "PostgreSQL 17.12"; anything else whole. */
export function shortVersion(version: string | null): string {
  if (version === null) return '?';
  return NAMED_VERSION.exec(version)?.[0] ?? version;
}

const IN_PLACE_TEXT = {
  upgraded: 'ran on the old data',
  refused: 'refused the old data',
  reinitialised: 'STARTED EMPTY (fresh data directory)',
  'data-differs': 'ran, data differs',
} as const;

export function upgradeTable(report: RunReport): FactTable | undefined {
  const rows = rowsHaving(report, (r) => upgradeFacts(r) !== undefined).map(({ result, control }) => {
    const u = upgradeFacts(result)!;
    const wordpress = u.wordpress
      ? `core ${u.wordpress.coreBefore ?? '?'} → ${u.wordpress.coreAfterUpgrade ?? '?'} (the image swap alone: ${u.wordpress.coreAfterImageSwap ?? '?'}); database: ${u.wordpress.databaseUpgrade}`
      : '';
    const step = u.wordpress ? wordpress : (u.upgradeStep?.summary ?? '—');
    const dump = u.dumpRestore ? `${formatMs(u.dumpRestore.dumpMs)} / ${formatMs(u.dumpRestore.restoreMs)} (${formatBytes(u.dumpRestore.bytes)})` : '—';
    const paths = u.inPlace === 'reinitialised' ? `: data at ${u.paths.serverDataDir ?? '?'}, old data mounted at ${u.paths.mounted}` : '';
    return {
      result,
      control,
      cells: [
        `${u.pair}${control ? ' (control)' : ''}`,
        `${u.from.reference} (${shortVersion(u.from.version)}) → ${u.to.reference} (${shortVersion(u.to.version)})`,
        `${IN_PLACE_TEXT[u.inPlace]}${paths}`,
        u.serverMessages.map(withoutLogPrefix).join(' / ') || '—',
        step,
        u.path,
        dump,
        result.timings.summary.recovery ? formatMs(result.timings.summary.recovery.medianMs) : '—',
      ],
    };
  });
  if (rows.length === 0) return undefined;
  return {
    title: 'Upgrades',
    intro:
      'Data written with the old image, a graceful stop, then the new image on the same volume at the documented path. In place: what the new server did with the old data; ' +
      'where it refused, the dump of the old server restored into the new one (dump / restore times). Verdict: the same data served by the new version. Recovery: create + ready + verified (+ restore) of the path taken (medians).',
    headers: ['Pair', 'Images', 'Verdict', 'In place', 'The server said', 'Upgrade step', 'Path', 'Dump / restore', 'Recovery'],
    verdictColumn: 2,
    rows,
  };
}

/**
 * The first table of a run's report: per storage type, what survived each disruption and how
 * long it took to be back, then what else was observed of it. One row per storage type observed.
 */
export function glanceTable(report: RunReport): { header: string[]; rows: string[][] } {
  const glance = storageGlance(report);
  const recovery = glanceRecovery(report);
  const header = [
    'Storage',
    'survives a restart',
    'recovery after a restart',
    'survives a recreate',
    'recovery after a recreate',
    ...GLANCE_PROPERTIES.filter((property) => property !== 'survives a restart' && property !== 'survives a recreate'),
  ];
  const rows = [...glance].map(([storage, cells]) => [
    storage,
    describeGlanceCell(cells.get('survives a restart')),
    describeRecovery(recovery.get(storage)?.restart, formatMs),
    describeGlanceCell(cells.get('survives a recreate')),
    describeRecovery(recovery.get(storage)?.recreate, formatMs),
    ...GLANCE_PROPERTIES.filter((property) => property !== 'survives a restart' && property !== 'survives a recreate').map((property) =>
      describeGlanceCell(cells.get(property)),
    ),
  ]);
  return { header, rows };
}

/** How many scenario files drove the engine at once, in words; runs before schema 12 ran one at a time. */
export function filesAtOnceWords(filesAtOnce = 1): string {
  return filesAtOnce === 1 ? 'one scenario file at a time' : `${filesAtOnce} scenario files at once (the benchmarks alone)`;
}

/**
 * A backup drill's method as the report names it: the method, or the drill's variant where it is
 * one of several of the method (your procedures by name, a dump with other options).
 */
export function methodOf(result: Pick<CellResult, 'variant'>, facts: Pick<BackupFacts, 'method' | 'mode'>): string {
  return result.variant && result.variant !== `${facts.method}-${facts.mode}` ? result.variant : facts.method;
}
