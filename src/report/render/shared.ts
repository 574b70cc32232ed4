// What every human-readable format shows the same way: how results are grouped into
// sections, and how durations and sizes are written.
import { DISRUPTIONS, type CellResult, type ItemOutcome, type MatrixDisruption, type Report } from '../model.ts';
import { STORAGE_KINDS, type StorageKind } from '../../storage/placement.ts';

/** Matrix results are grouped by target; results judged item by item, by scenario. */
export function sectionsOf(report: Report): Array<{ name: string; items: boolean; results: CellResult[] }> {
  const sections = new Map<string, { name: string; items: boolean; results: CellResult[] }>();
  for (const result of report.results) {
    // Backup and crash drills have tables of their own.
    if (result.backup || result.kill) continue;
    const items = result.items !== undefined;
    const name = items ? result.scenario : result.target;
    const key = `${items}:${name}`;
    const section = sections.get(key) ?? { name, items, results: [] };
    section.results.push(result);
    sections.set(key, section);
  }
  return [...sections.values()];
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** The storage × disruption grid of one target: a row per storage type that has any result. */
export function matrixRows(results: CellResult[]): Array<{ storage: StorageKind; cells: Array<CellResult | undefined> }> {
  return STORAGE_KINDS.flatMap((storage) => {
    const cells = DISRUPTIONS.map((d: MatrixDisruption) => results.find((r) => r.storage === storage && r.disruption === d));
    return cells.every((c) => c === undefined) ? [] : [{ storage, cells }];
  });
}

/** For results judged item by item: the item names in order, and a lookup per result. */
export function itemGrid(results: CellResult[]): { items: string[]; cell: (result: CellResult, item: string) => ItemOutcome | undefined } {
  const items = [...new Set(results.flatMap((r) => (r.items ?? []).map((i) => i.item)))];
  return { items, cell: (result, item) => result.items?.find((i) => i.item === item) };
}

/** Crash drills, results and controls alike: one row each, with what the kill did to acknowledged writes. */
export function killRows(report: Report): Array<{ result: CellResult; control: boolean }> {
  return [
    ...report.results.filter((r) => r.kill).map((result) => ({ result, control: false })),
    ...report.controls.filter((c) => c.cell.kill).map((c) => ({ result: c.cell, control: true })),
  ];
}
