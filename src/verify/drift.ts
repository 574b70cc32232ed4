// A verification against an earlier one of the same backup (`--baseline`): a table whose rows fell
// by more than the allowed share, an object of any kind the baseline had and this restore lacks,
// and a recovery slower by more than the run's regression thresholds (both the percent and the
// ms, as `persist run --baseline` judges), are findings.
import { missingObjects, objectName } from '../data/inventory.ts';
import type { Verify } from '../report/model.ts';
import type { TableCount } from '../services/artifact-kits.ts';

export interface DriftThresholds {
  /** A table's rows may fall by at most this percent. */
  dropPercent: number;
  /** A recovery is a regression when slower by more than this percent… */
  regressionPercent: number;
  /** …and by more than this many ms. */
  regressionMs: number;
}

export const DEFAULT_DRIFT: DriftThresholds = { dropPercent: 20, regressionPercent: 20, regressionMs: 100 };

export type Drift = NonNullable<Verify['drift']>;

const key = (table: Pick<TableCount, 'database' | 'table'>) => `${table.database}.${table.table}`;

export function verifyDrift(
  baseline: Pick<Verify, 'tables' | 'recoveryMs'> & { runId: string; inventory?: Verify['inventory'] },
  current: Pick<Verify, 'tables' | 'recoveryMs'> & { inventory?: Verify['inventory'] },
  limits: DriftThresholds,
): Drift {
  const now = new Map(current.tables.map((table) => [key(table), table.rows]));
  const tables = baseline.tables
    .filter((table) => table.rows > 0)
    .map((table) => {
      const after = now.get(key(table)) ?? 0;
      const dropPercent = Math.round(((table.rows - after) / table.rows) * 1000) / 10;
      return { database: table.database, table: table.table, before: table.rows, after, dropPercent, finding: dropPercent > limits.dropPercent };
    })
    .filter((table) => table.after < table.before);
  const slowerMs = current.recoveryMs - baseline.recoveryMs;
  const slowerPercent = baseline.recoveryMs > 0 ? Math.round((slowerMs / baseline.recoveryMs) * 1000) / 10 : 0;
  return {
    baselineRunId: baseline.runId,
    dropPercent: limits.dropPercent,
    tables,
    objects: missingObjects(baseline.inventory?.objects ?? [], current.inventory?.objects ?? []).map(({ kind, database, name }) => ({ kind, database, name })),
    objectsCompared: baseline.inventory != null && current.inventory != null,
    recovery: {
      beforeMs: baseline.recoveryMs,
      afterMs: current.recoveryMs,
      slowerPercent,
      regressed: slowerPercent > limits.regressionPercent && slowerMs > limits.regressionMs,
    },
  };
}

/** The drift's findings, each a sentence for the report's problems. */
export function driftProblems(drift: Drift): string[] {
  return [
    ...drift.tables
      .filter((table) => table.finding)
      .map(
        (table) =>
          `${table.database}.${table.table} has ${table.after.toLocaleString('en')} rows, ${table.dropPercent}% fewer than the ${table.before.toLocaleString('en')} of the baseline (${drift.baselineRunId}; at most ${drift.dropPercent}% allowed).`,
      ),
    ...drift.objects.map((object) => `${objectName(object)} was in the baseline (${drift.baselineRunId}) and is not in this restore.`),
    ...(drift.recovery.regressed
      ? [
          `The recovery took ${Math.round(drift.recovery.afterMs)} ms, ${drift.recovery.slowerPercent}% slower than the baseline's ${Math.round(drift.recovery.beforeMs)} ms.`,
        ]
      : []),
  ];
}
