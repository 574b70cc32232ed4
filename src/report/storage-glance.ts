// What a run showed about each storage type, at a glance: survives a restart, survives a
// recreate, visible on the host, kept off disk. Only observations count: a property no result
// observed stays unknown, and disagreeing observations are shown as mixed. Negative controls
// are left out: they break a setup on purpose, so they say nothing about the storage type.
import { STORAGE_KINDS, type StorageKind } from '../storage/placement.ts';
import { MATRIX_DISRUPTIONS, type MatrixDisruption, type MeasureStats, type Observation, type RunReport } from './model.ts';
import { statsOf } from './stats.ts';

export const GLANCE_PROPERTIES = ['survives a restart', 'survives a recreate', 'visible on the host', 'kept off disk'] as const;
export type GlanceProperty = (typeof GLANCE_PROPERTIES)[number];

export interface GlanceCell {
  /** How many observations said the property holds, out of how many made. */
  holds: number;
  observed: number;
}

/** Which checked items speak to which property, and the observation that means "it holds". */
const ITEM_PROPERTIES: Record<string, { property: GlanceProperty; holdsWhen: Observation }> = {
  'host file in the container, same bytes': { property: 'visible on the host', holdsWhen: 'visible' },
  'container file on the host, same bytes': { property: 'visible on the host', holdsWhen: 'visible' },
  'mountpoint holds the data': { property: 'visible on the host', holdsWhen: 'visible' },
  'kept off disk': { property: 'kept off disk', holdsWhen: 'absent' },
  'after a stop and start': { property: 'survives a restart', holdsWhen: 'survives' },
  'log intact after recreating all three': { property: 'survives a recreate', holdsWhen: 'survives' },
};

export function storageGlance(report: Pick<RunReport, 'results'>): Map<StorageKind, Map<GlanceProperty, GlanceCell>> {
  const glance = new Map<StorageKind, Map<GlanceProperty, GlanceCell>>();
  const note = (storage: StorageKind, property: GlanceProperty, holds: boolean) => {
    const row = glance.get(storage) ?? new Map<GlanceProperty, GlanceCell>();
    const cell = row.get(property) ?? { holds: 0, observed: 0 };
    row.set(property, { holds: cell.holds + (holds ? 1 : 0), observed: cell.observed + 1 });
    glance.set(storage, row);
  };
  for (const result of report.results) {
    if (result.observed === null) continue;
    if (!result.items && (result.disruption === 'restart' || result.disruption === 'recreate')) {
      note(result.storage, result.disruption === 'restart' ? 'survives a restart' : 'survives a recreate', result.observed === 'survives');
    }
    for (const item of result.items ?? []) {
      const meaning = ITEM_PROPERTIES[item.item];
      if (meaning) note(result.storage, meaning.property, item.observed === meaning.holdsWhen);
    }
  }
  return new Map(STORAGE_KINDS.filter((kind) => glance.has(kind)).map((kind) => [kind, glance.get(kind)!]));
}

export function describeGlanceCell(cell: GlanceCell | undefined): string {
  if (!cell) return '—';
  if (cell.holds === cell.observed) return `yes (${cell.observed})`;
  if (cell.holds === 0) return `no (${cell.observed})`;
  return `mixed: ${cell.holds} of ${cell.observed}`;
}

/**
 * How long each storage type took to be back after each disruption: the median and range of the
 * recovery time (create + ready + verified) over every trial of every cell of that storage and
 * disruption, whatever the service. Negative controls are not results, so they are not here.
 */
export function glanceRecovery(report: Pick<RunReport, 'results'>): Map<StorageKind, Partial<Record<MatrixDisruption, MeasureStats>>> {
  const recovery = new Map<StorageKind, Partial<Record<MatrixDisruption, MeasureStats>>>();
  for (const storage of STORAGE_KINDS) {
    const row: Partial<Record<MatrixDisruption, MeasureStats>> = {};
    for (const disruption of MATRIX_DISRUPTIONS) {
      const values = report.results
        .filter((result) => result.storage === storage && result.disruption === disruption)
        .flatMap((result) => result.timings.perTrial.flatMap((trial) => (trial.recoveryMs === null ? [] : [trial.recoveryMs])));
      const stats = statsOf(values);
      if (stats) row[disruption] = stats;
    }
    if (Object.keys(row).length > 0) recovery.set(storage, row);
  }
  return recovery;
}

/** "1.2 s (0.9–1.6 s, 12 trials)", or — where nothing was timed. */
export function describeRecovery(stats: MeasureStats | undefined, formatMs: (ms: number) => string): string {
  if (!stats) return '—';
  if (stats.trials === 1) return `${formatMs(stats.medianMs)} (1 trial)`;
  return `${formatMs(stats.medianMs)} (${formatMs(stats.minMs)}–${formatMs(stats.maxMs)}, ${stats.trials} trials)`;
}
