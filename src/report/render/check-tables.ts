// A check as tables, shared by the terminal, Markdown and HTML: per service, each data path
// against each lifecycle command, with what was observed, marked where it fails what the user
// needs or differs from what the audit predicted.
import type { Check, CheckCell } from '../model.ts';

export interface CheckTable {
  service: string;
  header: string[];
  rows: string[][];
  /** The cells that failed or surprised, with their evidence. */
  notable: CheckCell[];
}

/** "kept", "LOST (needed)", "kept, predicted lost", "unavailable". */
export function describeCell(cell: CheckCell): string {
  const word = cell.status === 'failed' ? cell.observed.toUpperCase() : cell.observed;
  const needed = cell.status === 'failed' && cell.observed !== 'unavailable' ? ` (needed ${cell.required})` : '';
  const surprise = cell.surprise ? `, predicted ${cell.predicted}` : '';
  return `${word}${needed}${surprise}`;
}

/** "app: its image shop-app is not on this machine (…)": each service the copy did not run, and why. */
export function describeLeftOut(check: Check): string[] {
  return (check.leftOut ?? []).map((entry) => `${entry.service}: ${entry.reason}`);
}

export function checkCounts(check: Check): { passed: number; failed: number; surprises: number } {
  return {
    passed: check.cells.filter((cell) => cell.status === 'passed').length,
    failed: check.cells.filter((cell) => cell.status === 'failed').length,
    surprises: check.cells.filter((cell) => cell.surprise).length,
  };
}

const PROBE_LABELS: Record<CheckCell['probe'], string> = {
  file: '',
  dataset: ' (dataset)',
  objects: ' (objects)',
  site: ' (site over HTTP)',
  command: ' (your fingerprint)',
};

/** A row per data path read by file, one per database's dataset, one for the user's own commands. */
export function rowLabel(cell: CheckCell): string {
  return `${cell.path}${PROBE_LABELS[cell.probe]}`;
}

export function checkTables(check: Check): CheckTable[] {
  const lifecycles = check.lifecycles.map((entry) => entry.lifecycle);
  const services = [...new Set(check.cells.map((cell) => cell.service))];
  return services.map((service) => {
    const cells = check.cells.filter((cell) => cell.service === service);
    const rows = [...new Map(cells.map((cell) => [rowLabel(cell), cell])).keys()];
    return {
      service,
      header: ['data path', ...lifecycles],
      rows: rows.map((row) => [
        row,
        ...lifecycles.map((lifecycle) => {
          const cell = cells.find((c) => rowLabel(c) === row && c.lifecycle === lifecycle);
          return cell ? describeCell(cell) : '—';
        }),
      ]),
      notable: cells.filter((cell) => cell.status === 'failed' || cell.surprise),
    };
  });
}
