// The report model: report.json is this, and every other format is rendered from it.
// Bump SCHEMA_VERSION on any change a reader of an older report would trip over.
import type { Fingerprint } from '../data/fingerprint.ts';
import type { StorageKind } from '../storage/placement.ts';

/** 3 added stopMode and upgrade to results; version 2 reports (without them) are still read. */
export const SCHEMA_VERSION = 3;
export const READABLE_SCHEMA_VERSIONS = [2, 3] as const;

export type Outcome = 'survives' | 'lost';
/**
 * What one check can observe. Data checks use survives / lost; checks of a storage type's other
 * promises say what the system did: a file was visible or absent, an operation refused or allowed.
 */
export type Observation = Outcome | 'visible' | 'absent' | 'refused' | 'allowed';
/** passed: observed as expected. failed: data not as expected (a finding). errored: the harness could not tell. */
export type Status = 'passed' | 'failed' | 'errored';
/**
 * The disruptions of the persistence matrix; 'none' is for checks of a running setup and
 * 'backup-restore' for a backup drill (the original volume destroyed, the backup restored).
 */
export const DISRUPTIONS = ['restart', 'recreate'] as const;
export type MatrixDisruption = (typeof DISRUPTIONS)[number];
export type Disruption = MatrixDisruption | 'none' | 'backup-restore' | 'kill' | 'stop-start' | 'upgrade';

export const PHASES = ['stop', 'backup', 'restore', 'create', 'ready', 'verified'] as const;
export type Phase = (typeof PHASES)[number];
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
    'From running until the service answers: a database accepts a TCP connection on its published port and answers SELECT 1; a web site answers / with anything but a 5xx (polled every 50–100 ms).',
  verified:
    "From ready until everything written before the disruption was read back and compared: every table's row count and ordered content hash; for a web site, each page, file and database row.",
  recovery:
    'create + ready + verified, plus restore in backup drills (the recovery time objective achieved): from the moment recovery starts until the data is proven.',
};

export interface TrialTiming {
  trial: number;
  /** Milliseconds per phase, measured with a monotonic clock around the real operation. */
  phasesMs: Partial<Record<Phase, number>>;
  recoveryMs: number | null;
}

export interface MeasureStats {
  /** How many trials the figures rest on. */
  trials: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Only with 5 or more trials: below that, a 95th percentile is just the maximum. */
  p95Ms?: number;
}

export interface Timings {
  perTrial: TrialTiming[];
  summary: Partial<Record<TimedMeasure, MeasureStats>>;
}

export interface TrialOutcome {
  trial: number;
  observed: Outcome;
  /** The service ran its first-start initialisation after the disruption. */
  reinitialised: boolean;
  cleanShutdown: boolean;
  differences: string[];
}

/** One thing a scenario checks separately, e.g. "media file": what had to happen, what did. */
export interface ItemOutcome {
  item: string;
  expected: Observation;
  observed: Observation;
}

/** Acknowledged writes after the server was killed mid-load (after Jepsen's set checker). */
export interface AcknowledgedWrites {
  attempted: number;
  acknowledged: number;
  /** Acknowledged and found afterwards. */
  present: number;
  /** Acknowledged but missing: the database said it had them, and it did not keep them. */
  lost: number;
  /** Found, but never attempted. */
  unexpected: number;
  /** Outcome unknown when the server died, and found afterwards. */
  recovered: number;
}

export interface KillFacts {
  /** 'durable': the server's defaults; 'relaxed': settings that acknowledge before a commit is durable. */
  durability: 'durable' | 'relaxed';
  serverArgs: string[];
  /** Concurrent writers, each committing one row per transaction. */
  writers: number;
  /** The counts of the trial shown. */
  writes: AcknowledgedWrites;
  /** Per trial, how many acknowledged writes were lost. */
  lostPerTrial: number[];
  crashRecovery: boolean;
}

/** How the stop-mode matrix stops a container before starting it again; the last is its control. */
export const STOP_MODES = ['graceful', 'kill', 'restart', 'signal-not-forwarded'] as const;
export type StopMode = (typeof STOP_MODES)[number];

/**
 * What the server's log says about a stop and the next start:
 * - clean: it logged the end of its shutdown, and the next start ran no crash recovery;
 * - interrupted: it began to shut down but was killed before it logged the end, and the next
 *   start needed no crash recovery (its shutdown checkpoint was written in time);
 * - crash-recovery: the next start recovered from a crash;
 * - unknown: the log says none of these.
 */
export type ShutdownVerdict = 'clean' | 'interrupted' | 'crash-recovery' | 'unknown';

export interface StopModeFacts {
  mode: StopMode;
  /** What ran, as a user would type it. */
  command: string;
  /** docker stop's grace period in seconds; null for kill, and for restart (the container's own). */
  stopTimeoutSeconds: number | null;
  expectedShutdown: 'clean' | 'crash-recovery';
  /** From the server's log after the stop. */
  shutdown: ShutdownVerdict;
  /** How the stopped container exited: 0 when the server ended by itself, 137 when it was killed; null when the engine recorded none. */
  exitCode: number | null;
  /** The log line that says so. */
  logLine: string | null;
  /** The redo duration the server itself printed (PostgreSQL); null when it prints none. */
  serverRecoveryMs: number | null;
  /** Writes committed under load while the stop came. */
  writes: AcknowledgedWrites;
}

/** What the new image did when started on the old image's data. */
export type InPlaceUpgrade = 'upgraded' | 'refused' | 'reinitialised' | 'data-differs';

export interface UpgradeFacts {
  /** Which pair of the configuration: postgres, mysql, wordpress, moved-data-path. */
  pair: string;
  from: { reference: string; version: string | null };
  to: { reference: string; version: string | null };
  inPlace: InPlaceUpgrade;
  /** The server's (or its entrypoint's) own words: the refusal, the upgrade, the fresh initialisation. */
  serverMessages: string[];
  /** Where the old data was mounted, and where the new server keeps its data. */
  paths: { mounted: string; serverDataDir: string | null };
  /** MySQL and MariaDB: the step that upgrades the system tables after a new server version. */
  upgradeStep: { tool: string | null; needed: boolean | null; ran: boolean; summary: string } | null;
  /** The path that brought the data onto the new version. */
  path: 'in-place' | 'dump-restore' | 'none';
  /** Where in place was refused: dumped with the old server, restored into the new one. */
  dumpRestore: { dumpMs: number; restoreMs: number; bytes: number; fingerprintEqual: boolean } | null;
  /** WordPress: which core version the files volume held, the new image ships and the site ran. */
  wordpress?: {
    coreBefore: string | null;
    coreOfNewImage: string | null;
    coreAfterImageSwap: string | null;
    coreAfterUpgrade: string | null;
    databaseUpgrade: string;
  };
}

/** How a backup was taken: with the service running and writing, or stopped for the backup. */
export type BackupMode = 'hot' | 'quiesced';

/** What a restore lost of the writes that kept going around the backup (recovery point). */
export interface RpoFigures {
  /** Writes the service acknowledged before it was destroyed. */
  acknowledged: number;
  /** Acknowledged writes found after the restore. */
  present: number;
  /** Acknowledged but missing after the restore. */
  missing: number;
  /** Of the missing, acknowledged before the backup started: data the backup should have had. */
  missingBeforeBackup: number;
  /** Present after the restore, but never attempted. */
  unexpected: number;
  /** Attempted with an unknown outcome (the service went away mid-write), and present. */
  recovered: number;
  /** From the first missing write's acknowledgement to the last acknowledged write. */
  windowMs: number | null;
  /** When the first missing write was acknowledged, relative to the start of the backup. */
  firstMissingAfterBackupStartMs: number | null;
}

export interface ArchiveFacts {
  /** File name (or backup volume name) of the backup that was restored. */
  name: string;
  bytes: number;
  sha256: string | null;
  /** Entries listed in its manifest (files in an archive, tables in a dump). */
  entries: number | null;
}

/** What the backup rotation kept and deleted, against what a 7-day retention must keep. */
export interface RotationFacts {
  kept: string[];
  deleted: string[];
  expectedKept: string[];
  expectedDeleted: string[];
  /** The archive that was restored: the oldest one retained. */
  restored: string;
}

export interface BackupFacts {
  method: string;
  mode: BackupMode;
  /** What ran, as a user would type it. */
  commands: string[];
  archive: ArchiveFacts | null;
  /** verified: sha256 and listing matched the manifest before restoring; corrupt: restore refused. */
  integrity: 'verified' | 'corrupt' | 'unchecked';
  restoredServiceStarted: boolean;
  /** Whether the restored service ran crash recovery (from its logs); null where not applicable. */
  crashRecovery: boolean | null;
  rpo: RpoFigures | null;
  rotation?: RotationFacts;
}

export interface ImageUsed {
  reference: string;
  id: string;
}

export interface CellResult {
  /** Stable across runs: scenario/target/storage/disruption, used to compare reports. */
  id: string;
  scenario: string;
  title: string;
  target: string;
  storage: StorageKind;
  disruption: Disruption;
  /** Which setup of the scenario this is, when it has several (e.g. "without-db-volume"). */
  variant?: string;
  expected: Outcome;
  /** Null only when the harness errored before it could observe anything. */
  observed: Outcome | null;
  status: Status;
  trials: number;
  image: ImageUsed | null;
  serverVersion: string | null;
  fingerprintBefore: Fingerprint | null;
  fingerprintAfter: Fingerprint | null;
  rowsLost: number;
  rowsUnexpected: number;
  trialOutcomes: TrialOutcome[];
  /** Per item, when the scenario judges items separately (from the trial shown). */
  items?: ItemOutcome[];
  timings: Timings;
  /** Crash drills only: acknowledged writes after a SIGKILL. */
  kill?: KillFacts;
  /** Stop-mode matrix only: how the container was stopped and what the server's log says of it. */
  stopMode?: StopModeFacts;
  /** Upgrade drills only: what the new image did on the old data, and the path that worked. */
  upgrade?: UpgradeFacts;
  /** Backup drills only: how the backup was taken, the archive, integrity and RPO (from the trial shown). */
  backup?: BackupFacts;
  /** Durations that are not recovery phases (e.g. how long a host edit takes to be served), over all trials. */
  measurements?: Record<string, MeasureStats>;
  evidence: string[];
  error?: string;
}

/** A negative control: a deliberately broken setup the harness must report as not surviving. */
export interface ControlResult {
  id: string;
  scenario: string;
  title: string;
  /** What was broken on purpose. */
  sabotage: string;
  /** True when the harness reported the broken setup as failed with observed "lost". */
  caught: boolean;
  cell: CellResult;
}

export interface EnvironmentFacts {
  engine: { version: string; apiVersion: string; storageDriver: string; operatingSystem: string } | null;
  images: Array<{ target: string; reference: string; id: string | null; source: string }>;
  node: string;
  platform: string;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  controls: number;
  controlsCaught: number;
}

export interface RegressionThresholds {
  /** Slower by more than this many percent of the baseline median… */
  percent: number;
  /** …and by more than this many milliseconds. */
  ms: number;
}

/** This run against a baseline run (`--baseline`, or `persist report --compare`). */
export interface Comparison {
  baseline: { runId: string; startedAt: string };
  thresholds: RegressionThresholds;
  /** Whether a regression fails the run (`--fail-on-regression`); otherwise it is reported only. */
  failOnRegression: boolean;
  verdictChanges: Array<{ id: string; title: string; before: string; after: string }>;
  regressions: Array<{
    id: string;
    title: string;
    measure: 'recovery';
    baselineMedianMs: number;
    currentMedianMs: number;
    deltaMs: number;
    deltaPercent: number;
  }>;
}

export interface Report {
  schemaVersion: (typeof READABLE_SCHEMA_VERSIONS)[number];
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  tool: { name: string; version: string };
  settings: { imageSet: string; trials: number; filters: string[] };
  environment: EnvironmentFacts;
  phaseDefinitions: Record<TimedMeasure, string>;
  summary: Summary;
  results: CellResult[];
  controls: ControlResult[];
  /** Problems outside any one result (a scenario file that failed to load, say). */
  harnessErrors: string[];
  comparison?: Comparison;
}

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
export function exitCodeFor(report: Pick<Report, 'summary' | 'harnessErrors' | 'comparison'>): 0 | 1 | 2 {
  const { summary, comparison } = report;
  if (report.harnessErrors.length > 0 || summary.errored > 0) return 2;
  if (summary.controlsCaught < summary.controls) return 2;
  if (summary.failed > 0) return 1;
  if (summary.total === 0) return 2;
  if (comparison?.failOnRegression && comparison.regressions.length > 0) return 1;
  return 0;
}
