// The report model: report.json is this, and every other format is rendered from it. The
// types are inferred from the schema in schema.ts, so the published JSON Schema, the validator
// and the code cannot disagree. Bump the schema version on any change a reader of an older
// report would trip over; migrate.ts reads the older versions.
import type { Static } from 'typebox';
import { checkExitCode } from './check-exit-code.ts';
import type * as S from './schema.ts';

export { REPORT_SCHEMA_VERSION as SCHEMA_VERSION } from './schema-version.ts';

export type Outcome = Static<typeof S.Outcome>;
/**
 * What one check can observe. Data checks use survives / lost; checks of a storage type's other
 * promises say what the system did: a file was visible or absent, an operation refused or allowed.
 */
export type Observation = Static<typeof S.Observation>;
/** passed: observed as expected. failed: data not as expected (a finding). errored: the harness could not tell. */
export type Status = Static<typeof S.Status>;
/**
 * The disruptions of the persistence matrix; 'none' is for checks of a running setup and
 * 'backup-restore' for a backup drill (the original volume destroyed, the backup restored).
 */
export { MATRIX_DISRUPTIONS, type MatrixDisruption, STOP_MODES } from './vocabulary.ts';
export type Disruption = Static<typeof S.Disruption>;

export { PHASES, type Phase } from '../timing/phases.ts';
import type { Phase } from '../timing/phases.ts';
import type { ClockName } from '../timing/clocks.ts';
/**
 * Recovery is what a user waits for after the disruption: create + ready + verified, plus the
 * restore when there is one (then it is the recovery time objective actually achieved).
 */
export const RECOVERY_PHASES: readonly Phase[] = ['create', 'ready', 'verified'];
export const OPTIONAL_RECOVERY_PHASES: readonly Phase[] = ['restore'];
export type TimedMeasure = Phase | 'recovery';

export const PHASE_DEFINITIONS: Record<TimedMeasure, string> = {
  stop: "Graceful stop: the image's stop signal, then up to 30 s before Docker kills (docker stop -t 30); for recreate, also the removal of the containers (named volumes and bind folders stay). Stop-mode matrix: the docker stop or docker kill call as named in the row. Upgrade drills: the old version's graceful stop and removal.",
  backup:
    "Backup drills: from the start of the backup (stopping the service first, when the method quiesces it) until the backup is complete and its manifest written; a quiesced service is started again after this phase. Upgrade drills: the old server's dump, where the new version refused the data in place.",
  restore:
    "Backup drills: from checking the backup's integrity until its data is in the new volume (file methods) or loaded into the new server (database-native dumps). Upgrade drills: loading the old server's dump into the new version.",
  create:
    "restart: `docker start` of the same container until it runs; recreate: creating and starting new containers with the same mounts (testcontainers) until they run. Stop-mode matrix: `docker start` after the stop, or for docker restart the whole call, its stop included. Upgrade drills: creating and starting the new version's container, on the old volume, or on a new one for the dump and restore path.",
  ready:
    'From running until the service answers: a database accepts a TCP connection on its published port and answers SELECT 1 (tried every 10 ms); a web site answers / with anything but a 5xx (every 100 ms).',
  verified:
    "From ready until everything written before the disruption was read back and compared: every table's row count and ordered content hash; for a web site, each page, file and database row.",
  recovery:
    'create + ready + verified, plus restore in backup drills (the recovery time objective achieved): from the moment recovery starts until the data is proven.',
};

/** Every phase and the recovery are timed by the harness around the operations it asks for. */
export const PHASE_CLOCKS: Record<TimedMeasure, ClockName> = {
  stop: 'harness',
  backup: 'harness',
  restore: 'harness',
  create: 'harness',
  ready: 'harness',
  verified: 'harness',
  recovery: 'harness',
};

export type TrialTiming = Static<typeof S.TrialTiming>;
export type Measurement = Static<typeof S.Measurement>;
export type MeasureStats = Static<typeof S.MeasureStats>;
export type Timings = Static<typeof S.Timings>;
export type TrialOutcome = Static<typeof S.TrialOutcome>;
/** One thing a scenario checks separately, e.g. "media file": what had to happen, what did. */
export type ItemOutcome = Static<typeof S.ItemOutcome>;
/** Acknowledged writes after the server was killed mid-load (after Jepsen's set checker). */
export type AcknowledgedWrites = Static<typeof S.AcknowledgedWrites>;
/** Crash drills: acknowledged writes after a SIGKILL. */
export type KillFacts = Static<typeof S.KillFacts>;

export type StopMode = Static<typeof S.StopMode>;

/**
 * What the server's log says about a stop and the next start:
 * - clean: it logged the end of its shutdown, and the next start ran no crash recovery;
 * - interrupted: it began to shut down but was killed before it logged the end, and the next
 *   start needed no crash recovery (its shutdown checkpoint was written in time);
 * - crash-recovery: the next start recovered from a crash;
 * - unknown: the log says none of these.
 */
export type ShutdownVerdict = Static<typeof S.ShutdownVerdict>;
/** Stop-mode matrix: how the container was stopped and what the server's log says of it. */
export type StopModeFacts = Static<typeof S.StopModeFacts>;
/** What the new image did when started on the old image's data. */
export type InPlaceUpgrade = Static<typeof S.InPlaceUpgrade>;
/** Upgrade drills: what the new image did on the old data, and the path that worked. */
export type UpgradeFacts = Static<typeof S.UpgradeFacts>;
/** How a backup was taken: with the service running and writing, or stopped for the backup. */
export type BackupMode = Static<typeof S.BackupMode>;
/** What a restore lost of the writes that kept going around the backup (recovery point). */
export type RpoFigures = Static<typeof S.RpoFigures>;
export type ArchiveFacts = Static<typeof S.ArchiveFacts>;
/** What the backup rotation kept and deleted, against what a 7-day retention must keep. */
export type RotationFacts = Static<typeof S.RotationFacts>;
/** Backup drills: how the backup was taken, the archive, integrity and RPO (from the trial shown). */
export type BackupFacts = Static<typeof S.BackupFacts>;
/** Development-loop drills: edits served, restarts, and how the traps behaved. */
export type DevloopFacts = Static<typeof S.DevloopFacts>;
/** Power-loss drills: acknowledged writes after a SIGKILL or a cut of the disk, with the setting that allowed a loss. */
export type PowerLossFacts = Static<typeof S.PowerLossFacts>;
/** A drill's own facts, keyed by kind. */
export type DrillDetails = Static<typeof S.DrillDetails>;
export type CellResult = Static<typeof S.CellResult>;
/** A negative control: a deliberately broken setup the harness must report as not surviving. */
export type ControlResult = Static<typeof S.ControlResult>;
export type EnvironmentFacts = Static<typeof S.EnvironmentFacts>;
export type Summary = Static<typeof S.Summary>;
/** This run against a baseline run (`--baseline`, or `persist report --compare`). */
export type Comparison = Static<typeof S.Comparison>;
export type RegressionThresholds = Comparison['thresholds'];
/** Every report: a run's, an audit's or a check's document under the same envelope, told by `kind`. */
export type Report = Static<typeof S.Report>;
export type RunReport = Static<typeof S.RunReport>;
export type AuditReport = Static<typeof S.AuditReport>;
export type CheckReport = Static<typeof S.CheckReport>;
export type Audit = Static<typeof S.Audit>;
export type AuditFinding = Static<typeof S.Finding>;
export type Check = Static<typeof S.Check>;
export type CheckCell = Static<typeof S.CheckCell>;
export type VerifyReport = Static<typeof S.VerifyReport>;
export type Verify = Static<typeof S.Verify>;
export type VerifyVerdict = Static<typeof S.VerifyVerdict>;
/** `persist run performance`: the benchmarks per storage type, the tuning measured, the throttle control. */
export type Performance = Static<typeof S.Performance>;
export type PerformanceFigure = Static<typeof S.PerformanceFigure>;
export type TuningComparison = Static<typeof S.TuningComparison>;
export type ThrottleFacts = Static<typeof S.ThrottleFacts>;
export type BenchTool = Static<typeof S.BenchTool>;
/** `persist run --shard K/N`: which part of the cells this run is. */
export type ShardFacts = Static<typeof S.ShardFacts>;
/** A scenario test, its duration and the result and control ids it recorded. */
export type TestRecord = Static<typeof S.TestRecord>;
/** A merged report: one shard's own run, environment and verdicts. */
export type ShardRun = Static<typeof S.ShardRun>;

/** A drill's facts of one kind, or undefined for a result of another kind of drill. */
function detailsOf<K extends DrillDetails['kind']>(kind: K) {
  return (result: Pick<CellResult, 'details'>): Extract<DrillDetails, { kind: K }> | undefined =>
    result.details?.kind === kind ? (result.details as Extract<DrillDetails, { kind: K }>) : undefined;
}
export const killFacts = detailsOf('kill');
export const stopModeFacts = detailsOf('stop-mode');
export const upgradeFacts = detailsOf('upgrade');
export const backupFacts = detailsOf('backup');
export const devloopFacts = detailsOf('devloop');
export const powerLossFacts = detailsOf('power-loss');

export function summarise(results: CellResult[], controls: ControlResult[]): Summary {
  const count = (status: Status) => results.filter((r) => r.status === status).length;
  return {
    total: results.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    controls: controls.length,
    controlsCaught: controls.filter((c) => c.caught).length,
  };
}

/** 0 all passed, 1 a verdict failed (data not as expected), 2 the harness could not run. */
export function exitCodeFor(report: Report): 0 | 1 | 2 {
  if (report.harnessErrors.length > 0) return 2;
  switch (report.kind) {
    // A check: a lost piece of needed data fails (1); a prediction that did not hold is a harness problem (2).
    case 'check':
      return report.check.cells.length === 0 ? 2 : checkExitCode(report.check.cells);
    // An audit proves nothing by running: its verdict is its findings.
    case 'audit':
      return report.audit.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
    case 'run':
      return runExitCode(report);
    // A verification that could not fail (its damaged copy passed too) proves nothing: 2, as a harness that could not judge.
    case 'verify':
      if (report.verify === null) return 2;
      return report.verify.verdict === 'verified' ? 0 : report.verify.verdict === 'failed' ? 1 : 2;
  }
}

function runExitCode(report: Pick<RunReport, 'summary' | 'comparison' | 'performance' | 'shard'>): 0 | 1 | 2 {
  const { summary, comparison } = report;
  if (summary.errored > 0) return 2;
  if (summary.controlsCaught < summary.controls) return 2;
  if (summary.failed > 0) return 1;
  // A performance-only run has no data verdicts: its figures and its throttle control are its result.
  // A shard dealt no cells (more shards than cells) has nothing to prove, and nothing failed.
  if (summary.total === 0 && !report.performance && report.shard?.tests !== 0) return 2;
  if (comparison?.failOnRegression && comparison.regressions.length > 0) return 1;
  return 0;
}
