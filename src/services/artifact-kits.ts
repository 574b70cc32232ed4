// The backup formats each service restores, by service name (each service whose profile has the
// artifacts capability), loaded from its folder by convention (artifacts.ts exports `artifactKit`),
// as drivers.ts loads drivers: `persist verify` restores a user's backup file through it and names
// no service. Everything a kit runs, it runs in the throwaway container with the image's own tools.
import type { Readable } from 'node:stream';
import type { ExecResult } from '../docker/exec.ts';
import type { RestoreStep } from './restore-step.ts';
import type { Inventory } from '../data/inventory.ts';
import { type ServiceName, servicesWith } from './registry.ts';

export type { RestoreStep };

/** The first bytes of a file artifact (decompressed), or the names in a directory artifact. */
export type ArtifactHead = { shape: 'file'; bytes: Buffer } | { shape: 'directory'; names: readonly string[] };

export interface ArtifactFormat {
  /** As `--format` names it, e.g. pg-custom. */
  id: string;
  /** In a sentence: "a pg_dump custom-format archive". */
  title: string;
  recognise(head: ArtifactHead): boolean;
  /**
   * The file name the server loads at start from its data directory (Redis's dump.rdb): such an
   * artifact is restored by placing it there in a new volume and starting the server on it.
   */
  placeAs?: string;
  /** A folder whose files fill the server's data directory before it starts (a pg_basebackup): the kit's `fill` says how. */
  fillsDataDirectory?: true;
  /**
   * How the image's server is started to load such an artifact, where no service of the user's
   * says how (`--image`): an AOF is only read by a Redis started with appendonly yes. A service's
   * own command always wins: if it would not load the artifact, that is what verify reports.
   */
  startCommand?: readonly string[];
}

/** What a kit fills a new data directory with: the artifact folder's files, each a tar extracted where it belongs. */
export interface DataDirectoryFiller {
  /** The artifact folder's files, by path relative to it. */
  names: readonly string[];
  /** Extracts the named tar (gzip or zstd by its name's ending) into the data directory, or a folder below it. */
  extract(name: string, below?: string): Promise<RestoreStep>;
  /** Copies the named file as it is to a path relative to the data directory (its folders made). */
  place(name: string, at: string): Promise<RestoreStep>;
  /**
   * Runs a script in a one-off container of the service's own image (its tools, at its version)
   * before the server ever starts on the data: the new data directory at `dataPath`, the artifact
   * folder read-only at `artifactPath`.
   */
  inServerImage(script: string): Promise<{ exitCode: number; output: string }>;
  dataPath: string;
  artifactPath: string;
  /** `--archive`: where the continuous archive is mounted read-only, in the one-off containers and the server; the data must replay it. */
  archivePath?: string;
  /** `--at`: the instant (RFC 3339) the replay stops at, the server then promoted; without it, the archive's end. */
  recoveryTarget?: string;
  /** The server's environment as it will start: the image's ENV under the service's own (PGDATA says where PostgreSQL's data directory is). */
  environment: Readonly<Record<string, string>>;
}

/** What filling a data directory did, and what the image's own tools said of the artifact on the way. */
export interface Filled {
  steps: RestoreStep[];
  integrity?: IntegrityResult[];
  /** What the integrity tools took of the steps' time: not the restore's, so not in its phase. */
  integrityMs?: number;
}

/** A command in the throwaway container; `stdin: 'artifact'` feeds it the artifact's bytes, decompressed (a folder's as a tar). */
export type RunInServer = (command: readonly string[], stdin?: 'artifact' | Buffer | Readable) => Promise<ExecResult>;

/** A tool that checks the artifact's integrity, beside the restore's own verdict. */
export interface IntegrityResult {
  tool: string;
  passed: boolean;
  detail: string;
}

export interface TableCount {
  database: string;
  table: string;
  rows: number;
}

export interface RestoreOutcome {
  steps: RestoreStep[];
  /** The roles the artifact's objects belong to, as it names them (a pg_dump's owners): it never creates them. */
  roles?: string[];
  /** Where the data went: expectations without a database run there. */
  database?: string;
  integrity: IntegrityResult[];
  /** What the integrity tools took of the restore's time (pg_restore --list): not the restore's, so not in its phase. */
  integrityMs?: number;
}

/** Where a kit reads a continuous archive beside a base backup (`--archive`). */
export interface ArchiveReader {
  /** The archive folder's files, by their paths inside it. */
  files: readonly string[];
  /** A file of the archive as text (a gzip'd one unpacked). */
  archiveFile(name: string): Promise<string>;
  /** A file of the base backup's folder, as text. */
  artifactFile(name: string): Promise<string>;
  /** Runs a script in a one-off container of the service's image, the archive read-only at `archivePath`. */
  inServerImage(script: string): Promise<{ exitCode: number; output: string }>;
  archivePath: string;
}

/** What a continuous archive can replay from its base backup: the report's `window`. */
export interface ArchiveWindow {
  /** Where the backup's replay starts (PostgreSQL: its first WAL segment). */
  base: string;
  segments: number;
  /** The earliest point a recovery can stop at (the backup's end); null where the archive does not say. */
  start: string | null;
  /** The latest point reachable: the last commit replayable without a break. */
  end: string | null;
  commits: number;
  /** The timelines the replay goes along where it crosses a switch (oldest first). */
  timelines?: number[];
  gaps: Array<{ missing: string; lastReachable: string | null; resumesAt: string; unreachableCommits: number }>;
}

/** The window, with what the judging of each restore needs and the report leaves out. */
export interface ArchiveReading {
  window: ArchiveWindow;
  /** The archive's last commit a restore to `at` must have replayed, and none after it (its granularity: PostgreSQL's commit, the binary logs' second). */
  lastCommitBy(at: Date): Date | null;
  /** Where replay starts (PostgreSQL: the backup's start LSN): what a restore replayed is counted from there. */
  replayFrom: string;
  /** The archive's file whose loss a restore must notice (the middle of the run): the damaged copy lacks it; none where none can be spared. */
  spare?: string;
}

/** What a replay into a running server is given: where the archive is mounted, where replay starts, and the instant (RFC 3339) to stop at, if any. */
export interface ReplayFrom {
  archivePath: string;
  replayFrom: string;
  at?: string;
}

/** How far a server replayed the archive, as it says after promoting. */
export interface Replayed {
  /** Its last transaction replayed (PostgreSQL: pg_last_xact_replay_timestamp()); null where it replayed none. */
  lastCommit: string | null;
  /** The WAL it replayed from `replayFrom`, in bytes; null where it cannot say. */
  bytes: number | null;
}

export interface ArtifactKit {
  formats: readonly ArtifactFormat[];
  /**
   * A continuous archive beside a base backup of these formats (PostgreSQL's WAL): its window,
   * and the command that exits 0 once a server replaying it to its end has finished and promoted.
   */
  archive?: {
    formats: readonly string[];
    /** Formats whose artifact holds its own archive (a pgBackRest repository): `--from` alone. */
    selfContained: readonly string[];
    read(reader: ArchiveReader, format: string): Promise<ArchiveReading>;
    replayedCommand: readonly string[];
    /**
     * Feeds the archive to the running server, where the server does not replay it itself at start
     * (MariaDB's binary logs through mariadb-binlog): from `replayFrom`, to `at` or the archive's end.
     */
    replay?(run: RunInServer, archive: ReplayFrom): Promise<RestoreStep>;
    /** How far the restored server replayed, asked of it once it has promoted. */
    replayed(run: RunInServer, replayFrom: string): Promise<Replayed>;
  };
  /**
   * What the throwaway server needs beside the user's environment to start at all (the official
   * images refuse to initialise without a password); nothing where the user's environment has it.
   */
  throwawayEnvironment(environment: Readonly<Record<string, string>>): Record<string, string>;
  /** Exits 0 once the server accepts connections over TCP (the images' first-start servers listen on none). */
  readyCommand: readonly string[];
  /** The server's version as the server says it. */
  serverVersion(run: RunInServer): Promise<string>;
  /**
   * Why this server cannot read an artifact of that format written by that version, and the
   * sentence naming the image to use instead; undefined when it can.
   */
  unreadable?(format: string, head: ArtifactHead, serverVersion: string): { why: string; fix: string } | undefined;
  /**
   * Loads the artifact into the running server; a failed restore throws nothing, its steps say
   * it. `read` gives the artifact's bytes (decompressed) on this side, for a kit that must look
   * through it first.
   */
  restore(run: RunInServer, format: string, artifact: { head: ArtifactHead; read: ArtifactStream }): Promise<RestoreOutcome>;
  /** Fills a new data directory from an artifact of a `fillsDataDirectory` format. */
  fill?(format: string, filler: DataDirectoryFiller): Promise<Filled>;
  /** Integrity tools run in the server on the restored data (redis-check-rdb), beside the restore's own verdict. */
  integrity?(run: RunInServer, format: string): Promise<IntegrityResult[]>;
  /** Why a restore of this format came back empty on this server's settings, where the server's settings explain it. */
  whyEmpty?(run: RunInServer, format: string): Promise<string | undefined>;
  /**
   * Every object of every user database as the server's catalogues list it, the sequences with
   * the value each gives next, and the roles the objects need (`dumpRoles`: those the artifact
   * named); where the artifact cannot carry the roles, the note says what a new server must bring.
   */
  inventory?(run: RunInServer, format: string | undefined, dumpRoles: readonly string[]): Promise<Omit<Inventory, 'ms'>>;
  /** Every user table with its row count, in every database. */
  tables(run: RunInServer): Promise<TableCount[]>;
  /** The first value of the first row a query returns (undefined for no row), or throws with the server's words. */
  value(run: RunInServer, query: string, database: string | undefined): Promise<string | undefined>;
}

/** The artifact as a stream again, for a kit that reads it twice (a scan, then the restore). */
export type ArtifactStream = () => Readable;

async function load(name: ServiceName): Promise<[ServiceName, ArtifactKit]> {
  const module = (await import(`./${name}/artifacts.ts`)) as { artifactKit?: ArtifactKit };
  if (!module.artifactKit) throw new Error(`src/services/${name}/artifacts.ts must export the service's backup formats as \`artifactKit\`.`);
  return [name, module.artifactKit];
}

export const ARTIFACT_KITS: Partial<Record<ServiceName, ArtifactKit>> = Object.fromEntries(
  await Promise.all(servicesWith('artifacts').map(({ service }) => load(service))),
);

/** The kit of a service the registry knows, if it restores backup files. */
export function artifactKitOf(name: string | undefined): ArtifactKit | undefined {
  return name !== undefined && name in ARTIFACT_KITS ? ARTIFACT_KITS[name as ServiceName] : undefined;
}

/** The service whose kit recognises the artifact, with the format; undefined when none does. */
export function recogniseArtifact(head: ArtifactHead, only?: string): { service: ServiceName; kit: ArtifactKit; format: ArtifactFormat } | undefined {
  for (const [service, kit] of Object.entries(ARTIFACT_KITS) as [ServiceName, ArtifactKit][]) {
    for (const format of kit.formats) if (only === undefined ? format.recognise(head) : format.id === only) return { service, kit, format };
  }
  return undefined;
}

/** Every format a kit restores, for the sentence that names them. */
export function knownFormats(): string[] {
  return Object.values(ARTIFACT_KITS).flatMap((kit) => kit?.formats.map((format) => format.id) ?? []);
}
