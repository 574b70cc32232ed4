// Reports of earlier schema versions, read for `--baseline` and `persist report`: each is checked
// against the schema it was written with (report.schema.vN.json), then brought to this version
// here. A version bump adds its old schema file and one line to READ_VERSIONS.
//  - 2 and 3 carried each drill's facts in a field of its own (kill, stopMode, upgrade, backup);
//    4 keeps them under `details`, keyed by kind.
//  - 5 to 11 only added optional sections or values, or values an older report implies: 5 the
//    `audit` and `check` sections, 6 a check cell's probe, 7 `performance`, 8 `tests`, `shard`
//    and `shards`, 9 drill facts of kind `devloop`, 10 where an audited image's facts came from,
//    11 the registry, Dockerfile and catalogue as such sources.
//  - 12 splits the one shape every command filled (a check carried `trials: 1` and empty
//    results) into a document per command under one envelope, told by `kind`.
//  - 13 adds the document of kind `verify`: a version 12 report is one of 13's as it is.
//  - 14 adds the power cut (disruption `power-cut`, details of kind `power-loss`): 13 is read as it is.
//  - 15 says which clock each duration was read from. Up to 14 every phase and named measurement
//    was the harness's own clock, but for the shared volume's delays (the kernel's uptime) and the
//    refused upgrade's "engine timestamps", which set the engine's start time against containerd's
//    exit time (two clocks: it could come out negative): that figure is not carried over.
//  - 16 lists a verification's objects (`inventory`) and names the objects its drift lost: an
//    older verification listed none (null), and its drift compared no objects.
import type { AuditReport, CellResult, CheckReport, DrillDetails, Report, RunReport, Verify, VerifyReport } from './model.ts';
import { PHASE_CLOCKS, SCHEMA_VERSION } from './model.ts';
import { CLOCK_DEFINITIONS, type ClockName } from '../timing/clocks.ts';

type Audit = AuditReport['audit'];
type Check = CheckReport['check'];
/** Version 11: one shape for every command, the audit and the check as optional sections. */
type V11Report = Omit<RunReport, 'schemaVersion' | 'kind'> & { schemaVersion: number; audit?: Audit; check?: Check };

type CheckCell = Check['cells'][number];
type AuditService = Audit['services'][number];
type OldAudit = Omit<Audit, 'services'> & { services: Array<Omit<AuditService, 'facts'>> };
type OldCheck = Omit<Check, 'cells'> & { cells: Array<Omit<CheckCell, 'probe'> & Partial<Pick<CheckCell, 'probe'>>> };
type OldCell = Omit<CellResult, 'details'> & { kill?: object; stopMode?: object; upgrade?: object; backup?: object };
type V3Report = Omit<V11Report, 'results' | 'controls'> & {
  results: OldCell[];
  controls: Array<Omit<RunReport['controls'][number], 'cell'> & { cell: OldCell }>;
};
type V10Report = Omit<V11Report, 'check' | 'audit'> & { check?: OldCheck; audit?: OldAudit | Audit };

const KINDS = { kill: 'kill', stopMode: 'stop-mode', upgrade: 'upgrade', backup: 'backup' } as const;

function migrateCell(cell: OldCell): CellResult {
  const { kill, stopMode, upgrade, backup, ...rest } = cell;
  const found = Object.entries({ kill, stopMode, upgrade, backup }).find(([, facts]) => facts !== undefined);
  if (!found) return rest;
  const [field, facts] = found as [keyof typeof KINDS, object];
  return { ...rest, details: { kind: KINDS[field], ...facts } as DrillDetails };
}

/** A version 2 or 3 report as version 4 (which 5 to 10 only added to). */
function fromV3(old: V3Report): V11Report {
  return {
    ...old,
    results: old.results.map(migrateCell),
    controls: old.controls.map((control) => ({ ...control, cell: migrateCell(control.cell) })),
  };
}

/** A version 4 to 10 report as version 11. */
function fromV10(old: V10Report): V11Report {
  const { check, audit, ...rest } = old;
  // Version 5's check wrote a file into each data path and nothing else; version 6 names its probe.
  const probed = check ? { check: { ...check, cells: check.cells.map((cell) => ({ probe: 'file' as const, ...cell })) } } : {};
  // Before version 10 an audit read every image on the machine, or refused to run.
  const read = audit ? { audit: { ...audit, services: audit.services.map((service) => ({ facts: { source: 'local-image' as const }, ...service })) } } : {};
  return { ...rest, ...probed, ...read };
}

type OldMeasurements = Record<string, Omit<NonNullable<CellResult['measurements']>[string], 'clock'>>;
type V14Cell = Omit<CellResult, 'measurements'> & { measurements?: OldMeasurements };
/** Version 12 to 14: the documents as now, but a run's durations name no clock. */
type V14Report =
  | Exclude<Report, RunReport>
  | (Omit<RunReport, 'schemaVersion' | 'clocks' | 'phaseClocks' | 'results' | 'controls'> & {
      schemaVersion: number;
      results: V14Cell[];
      controls: Array<Omit<RunReport['controls'][number], 'cell'> & { cell: V14Cell }>;
    });

/** The measurements of version 14 and earlier that were read from the kernel's uptime, by name. */
const KERNEL_UPTIME_MEASUREMENTS = new Set(['producer write → consumer sees it', 'producer write → web serves it']);
const TWO_CLOCK_MEASUREMENT = /\(engine timestamps\)$/;

function clockedCell(cell: V14Cell): CellResult {
  const { measurements, ...rest } = cell;
  const kept = Object.entries(measurements ?? {}).filter(([name]) => !TWO_CLOCK_MEASUREMENT.test(name));
  if (kept.length === 0) return rest;
  const clockOf = (name: string): ClockName => (KERNEL_UPTIME_MEASUREMENTS.has(name) ? 'kernel-uptime' : 'harness');
  return { ...cell, measurements: Object.fromEntries(kept.map(([name, stats]) => [name, { ...stats, clock: clockOf(name) }])) };
}

/** A version 12 to 14 report as this version. */
function fromV14(old: V14Report): Report {
  if (old.kind !== 'run') return { ...old, schemaVersion: SCHEMA_VERSION };
  return {
    ...old,
    schemaVersion: SCHEMA_VERSION,
    phaseClocks: PHASE_CLOCKS,
    clocks: CLOCK_DEFINITIONS,
    results: old.results.map(clockedCell),
    controls: old.controls.map((control) => ({ ...control, cell: clockedCell(control.cell) })),
  };
}

/** A version 11 report as the document its command writes now: a check, an audit or a run. */
function fromV11(old: V11Report): V14Report {
  const { audit, check, schemaVersion: _written, ...run } = old;
  const { runId, startedAt, finishedAt, durationMs, tool, environment, harnessErrors } = old;
  const envelope = <K extends Report['kind']>(kind: K) => ({
    schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    kind,
    ...{ runId, startedAt, finishedAt, durationMs, tool, environment, harnessErrors },
  });
  if (audit && check) return { ...envelope('check'), audit, check } satisfies CheckReport;
  if (audit) return { ...envelope('audit'), audit } satisfies AuditReport;
  return { ...envelope('run'), ...run };
}

type V15Verify = Omit<Verify, 'inventory' | 'app' | 'drift'> & { drift?: Omit<NonNullable<Verify['drift']>, 'objects' | 'objectsCompared'> };
/** Version 15: a verification without its inventory. */
type V15Report = Exclude<Report, VerifyReport> | (Omit<VerifyReport, 'verify' | 'schemaVersion'> & { schemaVersion: number; verify: V15Verify | null });

function fromV15(old: V15Report): Report {
  if (old.kind !== 'verify' || old.verify === null) return { ...old, schemaVersion: SCHEMA_VERSION } as Report;
  const { drift, ...verify } = old.verify;
  return {
    ...old,
    schemaVersion: SCHEMA_VERSION,
    verify: { ...verify, inventory: null, app: null, ...(drift ? { drift: { ...drift, objects: [], objectsCompared: false } } : {}) },
  };
}

/** Each older version still read: the schema file it is checked against, and how it becomes this version. */
export const READ_VERSIONS: Readonly<Record<number, { schema: number; migrate: (old: unknown) => Report }>> = {
  2: { schema: 3, migrate: (old) => fromV14(fromV11(fromV3(old as V3Report))) },
  3: { schema: 3, migrate: (old) => fromV14(fromV11(fromV3(old as V3Report))) },
  15: { schema: 15, migrate: (old) => fromV15(old as V15Report) },
  ...Object.fromEntries(
    [4, 5, 6, 7, 8, 9, 10].map((version) => [version, { schema: version, migrate: (old: unknown) => fromV14(fromV11(fromV10(old as V10Report))) }]),
  ),
  11: { schema: 11, migrate: (old) => fromV14(fromV11(old as V11Report)) },
  ...Object.fromEntries(
    [12, 13, 14].map((version) => [version, { schema: version, migrate: (old: unknown) => fromV15(fromV14(old as V14Report) as V15Report) }]),
  ),
};
