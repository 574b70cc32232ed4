// What a service's driver is (driver.ts in its service folder exports one): what the drills and
// the check need to prove its data: how to start it on a given data directory, how to know it is
// ready, how to write a dataset and read a fingerprint back. It lives with the stacks, under the
// services, because the engine's probes drive it: a service folder implements it and may use the
// engine; the engine names no service (the image's name is a type parameter the registry binds).
import type { GenericContainer } from 'testcontainers';
import type { Dataset } from '../data/dataset.ts';
import type { Fingerprint } from '../data/fingerprint.ts';
import type { DataPaths } from '../storage/data-layout.ts';

/** A user's credentials for their database service; the password is never printed. */
export interface Login {
  user: string;
  password: string;
  /** Where the check's tables go; none for Redis. */
  database: string | undefined;
  /** The database does not exist yet: create it (a user's server configured with none). */
  createDatabase?: boolean;
}

export interface DatabaseConnection {
  /** The server's own description of itself (engine and version). */
  serverVersion(): Promise<string>;
  /** Where the server keeps its data, as it says itself. */
  dataDirectory(): Promise<string>;
  /** Creates the dataset's tables and writes every row, committed. */
  write(dataset: Dataset): Promise<void>;
  fingerprint(tableNames: string[]): Promise<Fingerprint>;
  /**
   * Objects besides tables that a dump may leave out (MySQL: a view, a stored procedure, a trigger
   * and an event on the dataset), for the backup drills to show which methods keep them.
   */
  createObjects?(dataset: Dataset): Promise<void>;
  /** The ledger of backup drills: a table of numbered records, each written in its own commit. */
  createLedger(): Promise<void>;
  writeLedger(id: number): Promise<void>;
  /** Ids present in the ledger; none when the table is absent. */
  ledgerIds(): Promise<number[]>;
  /**
   * The server's own check of the ledger's storage (PostgreSQL's amcheck, InnoDB's CHECK TABLE):
   * a sentence on success; throws with what it found. Absent where the server has none.
   */
  checkLedgerIntegrity?(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A durability setting the power-loss drill runs the server with, and what the server's own
 * documentation promises of acknowledged writes under each failure with it.
 */
export interface DurabilitySetting {
  /** The report's name of it, e.g. "fsync=off"; "default" runs the image as it is configured. */
  name: string;
  /** Server start options; none for the default, so a setting the image carries is what runs. */
  serverArgs: string[];
  /** Other options that mean this setting through the server's own defaults (Redis: --appendonly yes is everysec). */
  sameAs?: string[][];
  /** Whether a process crash (SIGKILL), and a power cut, lose no acknowledged write. */
  keeps: { processCrash: boolean; powerCut: boolean };
  /** The documentation's promise, in a sentence for the report. */
  promise: string;
}

export interface DatabaseTarget<Image extends string = string> {
  /** The report's `target`, e.g. "postgres". */
  name: string;
  displayName: string;
  /** The registry's name of its image (ServiceName, bound in services/registry.ts). */
  image: Image;
  port: number;
  /** Where the official image documents its data; the image's own VOLUME decides per image. */
  dataPaths: DataPaths;
  /** Lines only first-start initialisation prints: seen after a disruption, data was re-created. */
  initialisationMarkers: RegExp[];
  /**
   * Its first start on empty storage costs little more than any start (RabbitMQ defines its
   * node, user and vhost in a second; initdb takes many): trials start from nothing rather than
   * from a copy of a volume initialised once, which would cost a whole start and stop per image.
   */
  quickFirstStart?: true;
  /**
   * Where a server that cannot say over its connection where it keeps its data says it in its log
   * (RabbitMQ's start banner), global, the directory its first group: the last start's is read.
   */
  dataDirectoryInLog?: RegExp;
  /** The line the server prints once it accepts connections (after any recovery). */
  readyMarker: RegExp;
  /** The line the server prints when it receives the stop signal and begins to shut down. */
  shutdownRequestedMarker: RegExp;
  /** The line a clean shutdown ends with. */
  cleanShutdownMarker: RegExp;
  /** Lines a start prints when the data directory was not shut down cleanly. */
  crashRecoveryMarkers: RegExp[];
  /**
   * Whether every start after a crash says so in the log (PostgreSQL's redo, InnoDB's crash
   * recovery). Redis replays a complete AOF after a kill just as after a stop: nothing to read.
   */
  logsCrashRecovery: boolean;
  /**
   * The seed's database-native backup, run in the container with `docker exec`: a command that
   * writes the database as SQL to stdout, and one that reads such SQL from stdin.
   */
  logicalBackup?: {
    dump: string[];
    restore: string[];
    /**
     * The dump with the options that also carry what the seed's own command leaves out (MySQL's
     * --routines --events), with those options for the report; absent where `dump` carries everything.
     */
    whole?: { dump: string[]; options: string };
  };
  /** Connection settings handed to a user's backup and restore commands. */
  procedureEnv: Record<string, string>;
  /**
   * A container for this image, not yet started; serverArgs go to the server. Without dataDir
   * the image keeps its data where it is configured to, as in a user's own setup: every drill
   * runs it so. Only the container-layer placement passes dataDir, to move the data out of
   * every VOLUME.
   */
  container(image: string, dataDir: string | undefined, serverArgs?: string[]): GenericContainer;
  /**
   * The step some servers need after a new version starts on old data (mariadb-upgrade): shell
   * commands run in the container, each finding the tool itself. Absent when the server has none.
   */
  upgradeStep?: {
    /** Prints the tool's name, or nothing when the image has none. */
    find: string;
    /** Exits 0 when an upgrade is needed; $TOOL is the found tool. */
    check: string;
    run: string;
  };
  /** Server arguments every drill starts it with unless it names others (Redis: --appendonly yes). */
  drillServerArgs?: string[];
  /**
   * Server settings that acknowledge a commit before it is durable: the negative control of
   * the crash drills, which must lose acknowledged writes when the server is killed.
   */
  relaxedDurability: { serverArgs: string[]; description: string };
  /** The power-loss drill's settings, the default first; absent where the drill does not run it. */
  powerLossSettings?: DurabilitySetting[];
  /**
   * Dockerfile lines by which a derived image keeps its data in `dir` through its own settings,
   * as a user's image may: the negative control that the harness runs an image as configured.
   */
  dataDirInImage(dir: string): string[];
  /**
   * Connects, or throws while the server is not ready yet. Without a login, as the harness's own
   * containers are configured; with one, as a user's service is (`persist check`).
   */
  connect(host: string, port: number, login?: Login): Promise<DatabaseConnection>;
}
