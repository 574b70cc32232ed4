// The report's schema, written once: the TypeScript types in model.ts are inferred from it, the
// validator checks every report against it, and report.schema.json is generated from it (a test
// fails when the published file is not what this module says).
import Type, { type Static, type TSchema } from 'typebox';
import { PHASES } from '../timing/phases.ts';
import { OBJECT_KINDS } from '../data/inventory.ts';
import { CLOCKS } from '../timing/clocks.ts';
import { STORAGE_KINDS } from '../storage/placement.ts';
import { COMPOSE_STORAGE_KINDS, LIFECYCLE, STOP_MODES } from './vocabulary.ts';
import { CHECK_DISRUPTIONS } from './vocabulary.ts';

/** Every object in a report is closed: an unknown field is an error, not a silent addition. */
const Closed = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
const Count = Type.Integer({ minimum: 0 });
const Ms = Type.Number({ minimum: 0 });
const Text = Type.String();
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One object of a database by its kind and name, as a finding names it. */
const ObjectRef = Closed({ kind: Type.Enum([...OBJECT_KINDS]), database: Text, name: Text });

export const Outcome = Type.Enum(['survives', 'lost']);
export const Observation = Type.Enum(['survives', 'lost', 'visible', 'absent', 'refused', 'allowed']);
export const Status = Type.Enum(['passed', 'failed', 'errored']);
export const StorageKind = Type.Enum([...STORAGE_KINDS]);
export const Disruption = Type.Enum(['restart', 'recreate', 'none', 'backup-restore', 'kill', 'stop-start', 'upgrade', 'power-cut']);
export const Phase = Type.Enum([...PHASES]);
const PhaseMs = Closed({
  stop: Type.Optional(Ms),
  backup: Type.Optional(Ms),
  restore: Type.Optional(Ms),
  create: Type.Optional(Ms),
  ready: Type.Optional(Ms),
  verified: Type.Optional(Ms),
});

/** One observation: a table, a file, an HTTP answer or a command's output, by name. */
export const ObservedItem = Closed(
  { present: Type.Boolean(), rows: Count, contentHash: Nullable(Text) },
  'rows is the size: rows of a table, bytes of a file or of a command output.',
);
export const Observations = Type.Record(Type.String(), ObservedItem);

export const TrialTiming = Closed({ trial: Type.Integer({ minimum: 1 }), phasesMs: PhaseMs, recoveryMs: Nullable(Ms) });
export const MeasureStats = Closed({
  trials: Type.Integer({ minimum: 1 }),
  medianMs: Ms,
  minMs: Ms,
  maxMs: Ms,
  p95Ms: Type.Optional(Ms),
});
const Summaries = Closed({
  stop: Type.Optional(MeasureStats),
  backup: Type.Optional(MeasureStats),
  restore: Type.Optional(MeasureStats),
  create: Type.Optional(MeasureStats),
  ready: Type.Optional(MeasureStats),
  verified: Type.Optional(MeasureStats),
  recovery: Type.Optional(MeasureStats),
});
export const Timings = Closed({ perTrial: Type.Array(TrialTiming), summary: Summaries });

export const Clock = Type.Enum([...CLOCKS], { description: "Which clock a duration was read from; the report's `clocks` says what each one reads." });
/** A named duration beside the phases: its samples' statistics and the one clock they were read from. */
export const Measurement = Closed({ ...MeasureStats.properties, clock: Clock });
const ClockDefinition = Closed({
  reads: Text,
  resolutionMs: Type.Number({ exclusiveMinimum: 0, description: 'The smallest step the clock tells apart: a figure below it is shown as below it.' }),
});

export const TrialOutcome = Closed({
  trial: Type.Integer({ minimum: 1 }),
  observed: Outcome,
  reinitialised: Type.Boolean(),
  cleanShutdown: Type.Boolean(),
  differences: Type.Array(Text),
});
export const ItemOutcome = Closed({ item: Text, expected: Observation, observed: Observation });

export const AcknowledgedWrites = Closed({ attempted: Count, acknowledged: Count, present: Count, lost: Count, unexpected: Count, recovered: Count });

export const KillFacts = Closed({
  kind: Type.Literal('kill'),
  durability: Type.Enum(['durable', 'relaxed']),
  serverArgs: Type.Array(Text),
  writers: Type.Integer({ minimum: 1 }),
  writes: AcknowledgedWrites,
  lostPerTrial: Type.Array(Count),
  crashRecovery: Type.Boolean(),
});

export const StopMode = Type.Enum([...STOP_MODES]);
export const ShutdownVerdict = Type.Enum(['clean', 'interrupted', 'crash-recovery', 'unknown']);
export const StopModeFacts = Closed({
  kind: Type.Literal('stop-mode'),
  mode: StopMode,
  command: Text,
  stopTimeoutSeconds: Nullable(Count),
  expectedShutdown: Type.Enum(['clean', 'crash-recovery']),
  shutdown: ShutdownVerdict,
  exitCode: Nullable(Type.Integer()),
  logLine: Nullable(Text),
  serverRecoveryMs: Nullable(Ms),
  writes: AcknowledgedWrites,
});

export const InPlaceUpgrade = Type.Enum(['upgraded', 'refused', 'reinitialised', 'data-differs']);
const ImageVersion = Closed({ reference: Text, version: Nullable(Text) });
export const UpgradeFacts = Closed({
  kind: Type.Literal('upgrade'),
  pair: Text,
  from: ImageVersion,
  to: ImageVersion,
  inPlace: InPlaceUpgrade,
  serverMessages: Type.Array(Text),
  paths: Closed({ mounted: Text, serverDataDir: Nullable(Text) }),
  upgradeStep: Nullable(Closed({ tool: Nullable(Text), needed: Nullable(Type.Boolean()), ran: Type.Boolean(), summary: Text })),
  path: Type.Enum(['in-place', 'dump-restore', 'none']),
  dumpRestore: Nullable(Closed({ dumpMs: Ms, restoreMs: Ms, bytes: Count, fingerprintEqual: Type.Boolean() })),
  wordpress: Type.Optional(
    Closed({
      coreBefore: Nullable(Text),
      coreOfNewImage: Nullable(Text),
      coreAfterImageSwap: Nullable(Text),
      coreAfterUpgrade: Nullable(Text),
      databaseUpgrade: Text,
    }),
  ),
});

export const BackupMode = Type.Enum(['hot', 'quiesced']);
export const RpoFigures = Closed({
  acknowledged: Count,
  present: Count,
  missing: Count,
  missingBeforeBackup: Count,
  unexpected: Count,
  recovered: Count,
  windowMs: Nullable(Ms),
  firstMissingAfterBackupStartMs: Nullable(Type.Number()),
});
export const ArchiveFacts = Closed({ name: Text, bytes: Count, sha256: Nullable(Text), entries: Nullable(Count) });
export const RotationFacts = Closed({
  kept: Type.Array(Text),
  deleted: Type.Array(Text),
  expectedKept: Type.Array(Text),
  expectedDeleted: Type.Array(Text),
  restored: Text,
});
export const BackupFacts = Closed({
  kind: Type.Literal('backup'),
  method: Text,
  mode: BackupMode,
  commands: Type.Array(Text),
  archive: Nullable(ArchiveFacts),
  integrity: Type.Enum(['verified', 'corrupt', 'unchecked']),
  restoredServiceStarted: Type.Boolean(),
  crashRecovery: Nullable(Type.Boolean()),
  rpo: Nullable(RpoFigures),
  rotation: Type.Optional(RotationFacts),
  objects: Type.Optional(
    Closed(
      { kept: Type.Array(ObjectRef), lost: Type.Array(ObjectRef) },
      "The source's objects (tables, views, routines, triggers, events, sequences, indexes, constraints), from its catalogues before the backup: those the restore has, and those it lacks. Databases only.",
    ),
  ),
});

export const DevloopFacts = Closed({
  kind: Type.Literal('devloop'),
  stack: Text,
  watcher: Text,
  mounts: Type.String({ description: 'The container as docker run options: where /app came from, and the modules volume.' }),
  edits: Closed({ made: Count, seen: Count, restarts: Count }),
  renameSave: Nullable(Closed({ seen: Type.Boolean() })),
  newFile: Nullable(Closed({ seen: Type.Boolean() })),
  syntaxError: Nullable(
    Closed({
      behaviour: Type.Enum(['waited', 'exited', 'kept-serving']),
      exitCode: Nullable(Type.Integer()),
      logLine: Nullable(Text),
      nextGoodEditServed: Type.Boolean(),
    }),
  ),
  startError: Nullable(Closed({ exitCode: Nullable(Type.Integer()), logLine: Nullable(Text) })),
});

export const PowerLossFacts = Closed({
  kind: Type.Literal('power-loss'),
  failure: Type.Enum(['sigkill', 'power-cut'], { description: 'SIGKILL of the container, or a cut of its disk (an atomic copy of what the disk held).' }),
  setting: Text,
  serverArgs: Type.Array(Text),
  promise: Type.String({ description: "What the server's documentation promises acknowledged writes under this failure with this setting." }),
  guaranteed: Type.Boolean({ description: 'The setting promises that this failure loses no acknowledged write: a loss fails the cell.' }),
  syncedBeforeCut: Type.Boolean({
    description: 'The disk was synced (syncfs) right before the cut: writes acknowledged before the sync began must all be there.',
  }),
  writers: Type.Integer({ minimum: 1 }),
  failedAfterMs: Type.Number({ minimum: 0, description: 'How long the writers had been committing when the failure came (varies per trial).' }),
  writes: AcknowledgedWrites,
  notJudged: Type.Integer({
    minimum: 0,
    description: 'Writes acknowledged after the instant judged (the cut, or the sync before it): neither lost nor unexpected.',
  }),
  lostPerTrial: Type.Array(Count),
  lossWindowMs: Nullable(Type.Number({ minimum: 0, description: 'How long before the failure the earliest lost write was acknowledged.' })),
  serverStarted: Type.Boolean(),
  recoveredCleanly: Type.Boolean({ description: 'Started, read every ledger row back, and its integrity check (where it has one) found nothing.' }),
  integrity: Nullable(Text),
  serverRecoveryMs: Nullable(Ms),
  cut: Nullable(Closed({ copyMs: Ms, replayMs: Ms, fsck: Text, fsckClean: Type.Boolean() })),
});

/** What a drill found besides the data: one kind of facts per kind of drill. */
export const DrillDetails = Type.Union([KillFacts, StopModeFacts, UpgradeFacts, BackupFacts, DevloopFacts, PowerLossFacts]);

export const CellResult = Closed({
  id: Text,
  scenario: Text,
  title: Text,
  target: Text,
  storage: StorageKind,
  disruption: Disruption,
  variant: Type.Optional(Text),
  expected: Outcome,
  observed: Nullable(Outcome),
  status: Status,
  trials: Count,
  image: Nullable(Closed({ reference: Text, id: Text })),
  serverVersion: Nullable(Text),
  fingerprintBefore: Nullable(Observations),
  fingerprintAfter: Nullable(Observations),
  rowsLost: Count,
  rowsUnexpected: Count,
  trialOutcomes: Type.Array(TrialOutcome),
  items: Type.Optional(Type.Array(ItemOutcome)),
  timings: Timings,
  details: Type.Optional(DrillDetails),
  measurements: Type.Optional(Type.Record(Type.String(), Measurement)),
  evidence: Type.Array(Text),
  error: Type.Optional(Text),
});

export const ControlResult = Closed({ id: Text, scenario: Text, title: Text, sabotage: Text, caught: Type.Boolean(), cell: CellResult });

export const EnvironmentFacts = Closed({
  engine: Nullable(Closed({ version: Text, apiVersion: Text, storageDriver: Text, operatingSystem: Text })),
  images: Type.Array(Closed({ target: Text, reference: Text, id: Nullable(Text), source: Text })),
  node: Text,
  platform: Text,
});

export const Summary = Closed({ total: Count, passed: Count, failed: Count, errored: Count, controls: Count, controlsCaught: Count });

export const Comparison = Closed({
  baseline: Closed({ runId: Text, startedAt: Type.String({ format: 'date-time' }) }),
  thresholds: Closed({ percent: Type.Number({ minimum: 0 }), ms: Type.Number({ minimum: 0 }) }),
  failOnRegression: Type.Boolean(),
  verdictChanges: Type.Array(Closed({ id: Text, title: Text, before: Text, after: Text })),
  regressions: Type.Array(
    Closed({
      id: Text,
      title: Text,
      measure: Type.Literal('recovery'),
      baselineMedianMs: Ms,
      currentMedianMs: Ms,
      deltaMs: Type.Number(),
      deltaPercent: Type.Number(),
    }),
  ),
});

const PhaseDefinitions = Closed({ stop: Text, backup: Text, restore: Text, create: Text, ready: Text, verified: Text, recovery: Text });
const PhaseClocks = Closed({ stop: Clock, backup: Clock, restore: Clock, create: Clock, ready: Clock, verified: Clock, recovery: Clock });
const Clocks = Closed(Object.fromEntries(CLOCKS.map((clock) => [clock, ClockDefinition])) as Record<(typeof CLOCKS)[number], typeof ClockDefinition>);

const Lifecycle = Type.Enum([...LIFECYCLE]);
const Fate = Type.Enum(['kept', 'lost']);
const AuditStorageKind = Type.Enum([...COMPOSE_STORAGE_KINDS]);
const AuditStorage = Closed({ kind: AuditStorageKind, target: Type.Optional(Text), source: Type.Optional(Text) });
const AuditMount = Closed({
  target: Text,
  kind: AuditStorageKind,
  source: Type.Optional(Text),
  writtenSource: Type.Optional(Type.String({ description: 'A bind source as the Compose file wrote it, when relative.' })),
  createsHostPath: Type.Optional(
    Type.Boolean({ description: "A bind whose missing host folder Docker creates at `up` (the short syntax); the long syntax's is refused instead." }),
  ),
  readOnly: Type.Boolean(),
});
const AuditDataPath = Closed(
  {
    path: Text,
    why: Text,
    origin: Type.Enum(['service-setting', 'image-setting', 'documented', 'image-volume', 'x-persist']),
    ephemeral: Type.Optional(Type.Boolean({ description: 'Below a path x-persist declares ephemeral: its loss is intended.' })),
    storage: AuditStorage,
    fates: Closed(Object.fromEntries(LIFECYCLE.map((command) => [command, Type.Optional(Fate)]))),
  },
  "One data path: where it lands, and what each lifecycle command does to it ('upgrade' only when x-persist names one).",
);
const ImageFactsSource = Closed(
  {
    source: Type.Enum(['local-image', 'registry', 'dockerfile', 'catalogue', 'unread'], {
      description:
        "local-image: `docker image inspect` on this machine; registry: the image's configuration read from its registry (not pulled); dockerfile: the Dockerfile of a service that builds, over its base image's facts; catalogue: the harness's catalogue of well-known images; unread: no source could be read, and the service is judged on its Compose settings and x-persist alone.",
    }),
    from: Type.Optional(
      Type.String({
        description:
          "Where exactly: the registry reference and digest, the Dockerfile and its base, the catalogue entry's pinned source, or why each source could not say.",
      }),
    ),
    version: Type.Optional(
      Type.String({ description: 'The version the image announces (its OCI version label, or the *_VERSION variable official images set).' }),
    ),
  },
  "Where the audit's facts about a service's image came from.",
);
const AuditService = Closed({
  service: Text,
  image: Text,
  imageId: Type.String({ description: "The image ID read; empty when the image's facts are unread." }),
  facts: ImageFactsSource,
  recognisedAs: Type.Optional(Text),
  mounts: Type.Array(AuditMount),
  dataPaths: Type.Array(AuditDataPath),
  upgrade: Type.Optional(Closed({ image: Text, imageId: Text, dataPaths: Type.Array(AuditDataPath) })),
});
export const Severity = Type.Enum(['error', 'warning', 'info']);
export const Finding = Closed({
  service: Text,
  severity: Severity,
  rule: Text,
  path: Text,
  message: Text,
  loses: Type.Optional(Lifecycle),
  fix: Text,
  location: Type.Optional(
    Closed(
      { file: Text, line: Type.Integer({ minimum: 1 }), column: Type.Integer({ minimum: 1 }) },
      "Where in the user's Compose files the service, its image or the mount the finding is about is declared (1-based).",
    ),
  ),
});
export const Audit = Closed(
  {
    project: Text,
    composeVersion: Text,
    files: Type.Array(Text),
    lifecycle: Type.Array(Lifecycle),
    prune: Type.Optional(
      Closed(
        {
          apiVersion: Nullable(Type.String({ description: 'The API version of the engine the audit talked to; null where none answered.' })),
          plainRemovesNamed: Nullable(
            Type.Boolean({
              description:
                'Whether a plain `docker volume prune` removes named volumes on that engine (below API 1.42, as `--all` does); null where not known.',
            }),
          ),
        },
        'What `docker volume prune` does on the engine the audit talked to: the `down + volume prune` column is judged by it.',
      ),
    ),
    services: Type.Array(AuditService),
    findings: Type.Array(Finding),
  },
  '`persist audit`: a Compose project read on paper (docker compose config, docker image inspect); nothing was started.',
);

const CheckDisruption = Type.Enum([...CHECK_DISRUPTIONS]);
export const CheckCell = Closed(
  {
    service: Text,
    path: Text,
    storage: AuditStorage,
    lifecycle: CheckDisruption,
    probe: Type.Enum(['file', 'dataset', 'objects', 'site', 'command'], {
      description:
        "file: a file of known content in the data path, read back by sha256; dataset: tables written through a recognised database's protocol, fingerprinted per table; objects (a restore): a recognised database's tables, views, routines, triggers, events, sequences, indexes and constraints, from its catalogues before the backup and after the restore; site: WordPress posts, media and a plugin written over HTTP and read back as a visitor and from the database; command: the user's x-persist seed and fingerprint commands.",
    }),
    writes: Type.Optional(AcknowledgedWrites),
    required: Type.Optional(Fate),
    predicted: Type.Optional(Fate),
    observed: Type.Enum(['kept', 'lost', 'unavailable']),
    status: Type.Enum(['passed', 'failed']),
    surprise: Type.Boolean(),
    evidence: Type.Array(Text),
  },
  'One service × data path × lifecycle command on the copy: what the user needs, what the audit predicted, what was observed.',
);
export const Check = Closed(
  {
    copyProject: Text,
    replaced: Type.Array(Closed({ kind: Type.Enum(['volume', 'network']), original: Text, copy: Text })),
    leftOut: Type.Optional(
      Type.Array(Closed({ service: Text, reason: Text }), {
        description: 'Services the copy could not run (their image, or one they need, is not on this machine), each with the reason; the rest was checked.',
      }),
    ),
    lifecycles: Type.Array(
      Closed({
        lifecycle: CheckDisruption,
        ms: Type.Number({ minimum: 0, description: "The disruption's own commands, on the harness's monotonic clock." }),
        problem: Type.Optional(Text),
        steps: Type.Optional(Type.Array(Text, { description: "The user's own commands the disruption ran (backup, restore), each with its outcome." })),
      }),
    ),
    cells: Type.Array(CheckCell),
  },
  '`persist check`: a copy of the project run through lifecycle commands; the audit section holds the predictions.',
);

/** `persist verify`: one backup artifact restored into a throwaway server, checked, and its damaged copy restored too. */
export const VerifyVerdict = Type.Enum(['verified', 'failed', 'unable-to-fail'], {
  description:
    'verified: restored, every expectation held, and the damaged copy failed; failed: the restore or an expectation failed (named in problems); unable-to-fail: everything held, but so did the damaged copy, so this verification proves nothing.',
});
const VerifyPhase = Type.Enum(['hash', 'start', 'restore', 'replay', 'checks'], {
  description:
    "hash: reading the whole artifact for its sha256 (not part of the recovery); start: the throwaway container created until its server accepts connections (PostgreSQL replaying an archive: until it has replayed it and promoted); replay: a running server fed an archive's changes (MariaDB's binary logs through mariadb-binlog); restore: loading the artifact into it (read, decompressed and fed to the image's own tool); checks: counting every table's rows and running the expectations (reading the catalogues for the inventory is left out: its time is inventory.ms). Each is the harness's monotonic clock around the step.",
});
/** What a restored database holds besides rows, from the server's own catalogues (`persist verify`, and a drill's restore against its source). */
export const Inventory = Closed(
  {
    engine: Type.Enum(['postgres', 'mysql', 'redis']),
    objects: Type.Array(
      Closed({
        kind: Type.Enum([...OBJECT_KINDS]),
        database: Text,
        name: Type.String({
          description:
            'Qualified within its database: `public.orders_total`; an object on a table after it (`public.orders.orders_audit`); MySQL without a schema.',
        }),
        owner: Type.Optional(Type.String({ description: 'Its owner (PostgreSQL) or definer (MySQL).' })),
        count: Type.Optional(Type.Integer({ minimum: 0, description: 'Redis: the keys of this type.' })),
      }),
    ),
    sequences: Type.Array(
      Closed({
        database: Text,
        name: Text,
        next: Type.Number({ description: 'The value its next call gives.' }),
        increment: Type.Number(),
        feeds: Nullable(
          Closed({
            table: Text,
            column: Text,
            highest: Nullable(Type.Number({ description: "The column's highest value (lowest for a descending sequence); null for an empty table." })),
            unique: Type.Boolean({ description: 'A primary key or unique constraint on the column alone: a repeated value fails the insert.' }),
          }),
        ),
      }),
    ),
    roles: Type.Array(Text, {
      description: "Roles (PostgreSQL) or definers (MySQL) that own or are granted the objects; the throwaway server's own superuser left out.",
    }),
    rolesNote: Nullable(
      Type.String({ description: 'Where the artifact carries no roles: what a restore into a new server must bring. A note, never a finding.' }),
    ),
    ms: Type.Number({ minimum: 0, description: "Reading the catalogues (the harness's monotonic clock); not part of the recovery." }),
  },
  'Every object of the restored databases by kind, the sequences with the value each gives next and the column it feeds, and the roles the objects need.',
);

export const Verify = Closed(
  {
    artifact: Closed({
      path: Text,
      format: Text,
      formatTitle: Text,
      shape: Type.Enum(['file', 'directory']),
      compression: Type.Enum(['gzip', 'zstd', 'none']),
      bytes: Count,
      sha256: Text,
      modifiedAt: Type.String({ format: 'date-time' }),
      ageMs: Type.Number(),
      unchanged: Type.Boolean({ description: "The artifact's sha256 and modification time after the verification were those before it." }),
    }),
    service: Nullable(Text),
    image: Closed({ reference: Text, id: Nullable(Text), digest: Nullable(Text), serverVersion: Nullable(Text) }),
    phases: Type.Array(Closed({ phase: VerifyPhase, ms: Ms })),
    recoveryMs: Ms,
    restore: Closed({ passed: Type.Boolean(), steps: Type.Array(Closed({ command: Text, ok: Type.Boolean(), detail: Type.Optional(Text) })) }),
    integrity: Type.Array(Closed({ tool: Text, passed: Type.Boolean(), detail: Text })),
    database: Nullable(Text),
    dataPath: Nullable(Type.String({ description: "A volume's tar: the path in the container its data was extracted to and the service started on." })),
    files: Nullable(Closed({ count: Count, bytes: Count }, "A volume's tar: the files it restored.")),
    tables: Type.Array(Closed({ database: Text, table: Text, rows: Count })),
    inventory: Nullable(Inventory),
    expectations: Type.Array(Closed({ expectation: Text, observed: Text, passed: Type.Boolean() })),
    allowEmpty: Type.Boolean(),
    dataAge: Nullable(
      Closed({
        query: Text,
        newest: Nullable(Type.String({ format: 'date-time' })),
        ageMs: Nullable(Type.Number()),
        maxAgeMs: Ms,
        passed: Type.Boolean(),
        problem: Type.Optional(Text),
      }),
    ),
    window: Type.Optional(
      Closed(
        {
          archive: Text,
          base: Type.String({ description: "Where the base backup's replay starts (PostgreSQL: the WAL segment its manifest names)." }),
          segments: Type.Integer({ minimum: 0, description: 'Segments replayable from there without a break.' }),
          start: Nullable(Type.String({ format: 'date-time', description: "The base backup's end: the earliest point a recovery can stop at." })),
          end: Nullable(Type.String({ format: 'date-time', description: 'The last commit replayable without a break: the latest point reachable.' })),
          commits: Type.Integer({ minimum: 0 }),
          timelines: Type.Optional(
            Type.Array(Type.Integer({ minimum: 1 }), {
              description:
                "The timelines the replay goes along, oldest first, where it crosses a switch (each newer one's history file says where it branched off).",
            }),
          ),
          gaps: Type.Array(
            Closed({
              missing: Type.String({
                minLength: 1,
                description: "The file recovery asks for and the archive lacks: a segment, a binary log, or a timeline's history file.",
              }),
              lastReachable: Nullable(Type.String({ format: 'date-time' })),
              resumesAt: Text,
              unreachableCommits: Type.Integer({ minimum: 0, description: 'Commits the archive holds past the gap (read up to its next gap).' }),
            }),
          ),
          readMs: Type.Number({ minimum: 0, description: "Reading the archive (its files, and the image's pg_waldump): not part of the recovery." }),
        },
        '`--archive`: what the continuous archive beside the base backup can replay; the restore replayed it to its end (or to its first gap). Each gap is a problem.',
      ),
    ),
    targets: Type.Optional(
      Type.Array(
        Closed({
          at: Type.String({ format: 'date-time' }),
          kind: Type.Enum(['time', 'end', 'unreachable'], {
            description:
              "time: restored to it through the archive (PostgreSQL: recovery_target_time, then promoted); end: past the last commit of an unbroken archive, so the archive's end, restored above; unreachable: before the base backup's end or past a gap (a problem).",
          }),
          point: Type.Optional(
            Type.Enum(['asked', 'start', 'between', 'end'], {
              description:
                "asked: an --at; start, between, end: the points that prove the window without --at (the base backup's end, --points inside, the archive's end).",
            }),
          ),
          rows: Nullable(Count),
          newest: Nullable(Type.String({ description: "The fresh query's newest timestamp in that restore: at or before the target." })),
          replayedTo: Type.Optional(
            Nullable(
              Type.String({ format: 'date-time', description: 'The last transaction the restored server says it replayed (pg_last_xact_replay_timestamp()).' }),
            ),
          ),
          expected: Type.Optional(
            Nullable(
              Type.String({ format: 'date-time', description: "The archive's last commit at or before the target (pg_waldump): where the replay must stop." }),
            ),
          ),
          recoveryMs: Nullable(Ms),
          replay: Type.Optional(
            Nullable(
              Closed(
                {
                  bytes: Type.Integer({
                    minimum: 0,
                    description: "WAL replayed from the base backup's start (pg_wal_lsn_diff of the server's last replayed LSN).",
                  }),
                  ms: Ms,
                  bytesPerSecond: Nullable(Type.Number({ minimum: 0 })),
                },
                "The replay: the server's start on the restored data, which replays the archive before it promotes (the harness's monotonic clock).",
              ),
            ),
          ),
          note: Text,
        }),
        {
          description:
            '`--at`, or without it the points that prove the window: the restores to points in time, each with the checks a restore gets, its recovery time (restore + replay + checks) and replay rate.',
        },
      ),
    ),
    app: Nullable(
      Type.Array(
        Closed({
          service: Text,
          image: Text,
          cameUp: Type.Boolean(),
          by: Type.Enum(['healthcheck', 'port', 'running'], {
            description:
              "healthcheck: its healthcheck (the project's or the image's) said healthy or unhealthy; port: what its first published port answered (an HTTP status of 500 or more, or a redirect to an installer, is a failure); running: it kept running 10 s without a restart.",
          }),
          detail: Text,
          ms: Type.Number({ minimum: 0, description: "From its start until it was judged (the harness's monotonic clock)." }),
          logTail: Nullable(Type.String({ description: "Its last log lines when it did not come up, its environment's values hidden." })),
        }),
        {
          description: "`--app`: the application's services started on the restored data, each as the project configures it; null when none was asked for.",
        },
      ),
    ),
    damaged: Nullable(
      Closed({
        how: Text,
        failed: Type.Boolean(),
        reason: Text,
      }),
    ),
    drift: Type.Optional(
      Closed(
        {
          baselineRunId: Text,
          dropPercent: Type.Number({ minimum: 0 }),
          tables: Type.Array(Closed({ database: Text, table: Text, before: Count, after: Count, dropPercent: Type.Number(), finding: Type.Boolean() })),
          objects: Type.Array(ObjectRef, {
            description: 'Objects of any kind the baseline had and this restore lacks: each a finding (null inventory in the baseline: none compared).',
          }),
          objectsCompared: Type.Boolean({ description: 'Whether the baseline had an inventory to compare objects against.' }),
          recovery: Closed({ beforeMs: Ms, afterMs: Ms, slowerPercent: Type.Number(), regressed: Type.Boolean() }),
        },
        '`--baseline`: the tables whose rows fell since an earlier verification (a finding beyond dropPercent), and the recovery time against its (a finding when slower by more than the regression thresholds).',
      ),
    ),
    verdict: VerifyVerdict,
    problems: Type.Array(Text, { description: 'Why it is not verified, each in a sentence: the step, expectation, table or age that failed.' }),
  },
  "`persist verify`: a backup artifact restored into a throwaway container of the service's image, what came back, how long it took, and its damaged copy.",
);

const Figure = Type.Number({ minimum: 0 });
const Better = Type.Enum(['higher', 'lower']);
export const BenchTool = Type.Enum(['fio', 'pgbench', 'sysbench']);
export const PerformanceFigure = Closed(
  {
    metric: Text,
    tool: BenchTool,
    label: Text,
    unit: Text,
    better: Better,
    storage: StorageKind,
    values: Type.Array(Figure),
    median: Figure,
    min: Figure,
    max: Figure,
  },
  "One measured figure on one storage type: each trial's value, and their median, min and max.",
);
export const TuningComparison = Closed({
  id: Text,
  target: Text,
  title: Text,
  settings: Text,
  metric: Text,
  label: Text,
  unit: Text,
  better: Better,
  without: Type.Array(Figure),
  with: Type.Array(Figure),
  differencePercent: Type.Number(),
  /** The larger of the two variants' spreads (max - min over median), in percent; null with one trial. */
  spreadPercent: Nullable(Type.Number({ minimum: 0 })),
  beyondSpread: Nullable(Type.Boolean()),
  finding: Text,
});
export const ThrottleFacts = Closed({
  device: Text,
  unthrottledIops: Figure,
  limitIops: Type.Integer({ minimum: 1 }),
  ceilingIops: Figure,
  measuredIops: Figure,
  caught: Type.Boolean(),
});
export const Performance = Closed(
  {
    size: Text,
    trials: Count,
    machine: Closed({
      engineVersion: Nullable(Text),
      storageDriver: Nullable(Text),
      kernel: Nullable(Text),
      cgroup: Nullable(Text),
      dataRoot: Nullable(Text),
      filesystem: Nullable(Text),
      device: Nullable(Text),
      rotational: Nullable(Type.Boolean()),
    }),
    figures: Type.Array(PerformanceFigure),
    directIo: Type.Array(Closed({ storage: StorageKind, accepted: Type.Boolean(), note: Text })),
    tuning: Type.Array(TuningComparison),
    space: Type.Array(Closed({ storage: StorageKind, subject: Text, bytes: Nullable(Count), source: Text })),
    blockIo: Type.Array(Closed({ storage: StorageKind, subject: Text, readBytes: Count, writeBytes: Count })),
    throttle: Nullable(ThrottleFacts),
    claims: Type.Array(Closed({ seed: Text, measured: Text })),
    notes: Type.Array(Text),
  },
  "`persist run performance`: fio, pgbench and sysbench per storage type, the seed's tuning advice measured, and a throttled disk that must be seen.",
);

/** Which part of the cells a sharded run (`persist run --shard K/N`) ran, and how the parts were cut. */
export const ShardFacts = Closed(
  {
    index: Type.Integer({ minimum: 1 }),
    count: Type.Integer({ minimum: 1 }),
    balancedBy: Type.Enum(['count', 'baseline']),
    baselineRunId: Type.Optional(Text),
    tests: Count,
    ofTests: Count,
  },
  'This run is shard `index` of `count`: it ran `tests` of the `ofTests` tests the chosen scenarios hold, cut by their number or by the durations in a baseline report.',
);

/** One vitest test of a run: the cells and controls it produced, and how long it took. */
export const TestRecord = Closed(
  { file: Text, name: Text, durationMs: Ms, ids: Type.Array(Text) },
  "A scenario test as vitest names it (its file, and its suites' and own names joined by ' > '), its wall time and the ids of the results and controls it recorded. `--shard` with `--baseline` balances shards by these durations.",
);

/** A run's settings as given; filesAtOnce: scenario files driving the engine at once (absent before 12: one). */
const RunSettings = Closed({
  imageSet: Text,
  trials: Type.Integer({ minimum: 1 }),
  filesAtOnce: Type.Optional(Type.Integer({ minimum: 1 })),
  filters: Type.Array(Text),
});

/** A shard's own facts, kept in the report merged from the shards. */
export const ShardRun = Closed({
  file: Text,
  index: Type.Integer({ minimum: 1 }),
  count: Type.Integer({ minimum: 1 }),
  runId: Text,
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  durationMs: Ms,
  settings: RunSettings,
  environment: EnvironmentFacts,
  summary: Summary,
  harnessErrors: Count,
});

import { REPORT_SCHEMA_VERSION } from './schema-version.ts';

export { REPORT_SCHEMA_VERSION };

/** What every report carries, whichever command wrote it: which version, which run, when, on what. */
const Envelope = {
  schemaVersion: Type.Literal(REPORT_SCHEMA_VERSION, {
    description:
      "16: `persist verify` lists every object of the restore (`verify.inventory`), says whether the application came up on it (`verify.app`), and its drift names the objects the baseline had and the restore lacks (`drift.objects`). 15: every named measurement says which clock it was read from (`clock`), and a run report says which clock each phase used (`phaseClocks`) and what each clock reads (`clocks`). 14: a power cut (disruption `power-cut`, `details` of kind `power-loss`) and a run's `notRun` scenarios. 13: `persist verify` writes a document of kind `verify`. 12: each command writes its own document under one envelope, told by `kind` (run, audit, check): an audit or a check no longer carries a run's settings, summary, results and controls. 11: the registry, a Dockerfile and the catalogue as sources of an audited image's facts. 10: each audited service says where its image's facts came from (`facts`), and a check names the services it left out (`check.leftOut`). 9: `details` of kind `devloop`. 8: optional `tests`, `shard` and `shards`. 7: an optional `performance` section. 6: a check cell names its probe, and a check runs kill, upgrade and backup-restore too. 5: `audit` and `check` sections. 4: drill facts under one `details` field keyed by `kind`. Versions 2 to 15 are still read, as this version.",
  }),
  runId: Text,
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  durationMs: Ms,
  tool: Closed({ name: Text, version: Text }),
  environment: EnvironmentFacts,
  harnessErrors: Type.Array(Text),
};

export const RunReport = Closed(
  {
    ...Envelope,
    kind: Type.Literal('run'),
    settings: RunSettings,
    phaseDefinitions: PhaseDefinitions,
    phaseClocks: PhaseClocks,
    clocks: Clocks,
    summary: Summary,
    results: Type.Array(CellResult),
    controls: Type.Array(ControlResult),
    comparison: Type.Optional(Comparison),
    performance: Type.Optional(Performance),
    tests: Type.Optional(Type.Array(TestRecord)),
    shard: Type.Optional(ShardFacts),
    shards: Type.Optional(Type.Array(ShardRun)),
    notRun: Type.Optional(
      Type.Array(Closed({ scenario: Text, reason: Text }), {
        description: 'Scenarios of a run of all that this machine cannot run (power cuts need a local engine, root and loop devices), each with why.',
      }),
    ),
  },
  "`persist run`: the scenarios' cells and negative controls on the harness's own containers.",
);

export const AuditReport = Closed(
  { ...Envelope, kind: Type.Literal('audit'), audit: Audit },
  "`persist audit`: the user's Compose project read on paper, its findings and what each storage is predicted to keep.",
);

export const CheckReport = Closed(
  { ...Envelope, kind: Type.Literal('check'), audit: Audit, check: Check },
  "`persist check`: the audit's predictions, then a copy of the project run through each disruption and every owed cell observed.",
);

export const VerifyReport = Closed(
  { ...Envelope, kind: Type.Literal('verify'), verify: Nullable(Verify) },
  "`persist verify`: a user's backup artifact restored and checked, with the evidence an auditor keeps; null when it could not be verified at all (harnessErrors say why).",
);

type AnyReport = Static<typeof RunReport> | Static<typeof AuditReport> | Static<typeof CheckReport> | Static<typeof VerifyReport>;

/** One of the three documents, told apart by `kind` (the validator reads only the branch `kind` names). */
export const Report = Type.Unsafe<AnyReport>({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `https://persistence-harness.dev/schemas/report-${REPORT_SCHEMA_VERSION}.json`,
  title: 'persistence-harness report.json',
  description:
    'The report model: every other format is rendered from it. Every report has the same envelope (schemaVersion, kind, runId, times, tool, environment, harnessErrors); `kind` says which command wrote it and which document follows. schemaVersion is bumped on any change an older reader would trip over.',
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['run', 'audit', 'check', 'verify'], description: 'Which command wrote the report, and so which document it is.' },
  },
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [RunReport, AuditReport, CheckReport, VerifyReport],
});
