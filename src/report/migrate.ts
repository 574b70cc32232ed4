// Reports of earlier schema versions, read for `--baseline` and `persist report`: versions 2 and
// 3 carried each drill's facts in a field of its own (kill, stopMode, upgrade, backup); version 4
// keeps them under `details`, keyed by kind; version 5 only added the optional `audit` and
// `check` sections, 6 values of `check` that a version 5 report never has, 7 the optional `performance` section, 8 the optional
// `tests`, `shard` and `shards`, 9 drill facts of kind `devloop`, 10 says where each audited
// service's image facts came from (before 10, always the image on the machine: the audit refused
// to run without it), and 11 adds the registry, Dockerfile and catalogue as sources.
import type { CellResult, DrillDetails, Report } from './model.ts';
import { SCHEMA_VERSION } from './model.ts';

type CheckCell = NonNullable<Report['check']>['cells'][number];
type AuditService = NonNullable<Report['audit']>['services'][number];
type OldAudit = Omit<NonNullable<Report['audit']>, 'services'> & { services: Array<Omit<AuditService, 'facts'>> };
type OldCheck = Omit<NonNullable<Report['check']>, 'cells'> & { cells: Array<Omit<CheckCell, 'probe'> & Partial<Pick<CheckCell, 'probe'>>> };
type OldCell = Omit<CellResult, 'details'> & { kill?: object; stopMode?: object; upgrade?: object; backup?: object };
interface OldReport extends Omit<Report, 'schemaVersion' | 'results' | 'controls'> {
  schemaVersion: 2 | 3;
  results: OldCell[];
  controls: Array<Omit<Report['controls'][number], 'cell'> & { cell: OldCell }>;
}

const KINDS = { kill: 'kill', stopMode: 'stop-mode', upgrade: 'upgrade', backup: 'backup' } as const;

function migrateCell(cell: OldCell): CellResult {
  const { kill, stopMode, upgrade, backup, ...rest } = cell;
  const found = Object.entries({ kill, stopMode, upgrade, backup }).find(([, facts]) => facts !== undefined);
  if (!found) return rest;
  const [field, facts] = found as [keyof typeof KINDS, object];
  return { ...rest, details: { kind: KINDS[field], ...facts } as DrillDetails };
}

/** A version 2 or 3 report (already validated against its own schema) as the current version. */
export function migrateReport(old: OldReport): Report {
  return {
    ...old,
    schemaVersion: SCHEMA_VERSION,
    results: old.results.map(migrateCell),
    controls: old.controls.map((control) => ({ ...control, cell: migrateCell(control.cell) })),
  };
}

/**
 * A version 4 to 10 report (already validated against its own schema) as the current version:
 * each later version only added optional sections or values, or values an older report implies.
 */
export function renumber(
  old: Omit<Report, 'schemaVersion' | 'check' | 'audit'> & {
    schemaVersion: 4 | 5 | 6 | 7 | 8 | 9 | 10;
    check?: OldCheck;
    audit?: OldAudit | NonNullable<Report['audit']>;
  },
): Report {
  const { check, audit, ...rest } = old;
  // Version 5's check wrote a file into each data path and nothing else; version 6 names its probe.
  const probed = check ? { check: { ...check, cells: check.cells.map((cell) => ({ probe: 'file' as const, ...cell })) } } : {};
  // Before version 10 an audit read every image on the machine, or refused to run.
  const read = audit ? { audit: { ...audit, services: audit.services.map((service) => ({ facts: { source: 'local-image' as const }, ...service })) } } : {};
  return { ...rest, ...probed, ...read, schemaVersion: SCHEMA_VERSION };
}
