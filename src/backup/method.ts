// A backup method: how a volume's data is backed up, and how such a backup is restored into a
// new, empty volume (or loaded into a fresh service on one). Backups that fail are findings
// about the method (BackupFailedError, CorruptBackupError), never harness errors.
import type { RunScope } from '../docker/run-scope.ts';
import type { BackupMode, RotationFacts } from '../report/model.ts';
import type { Manifest } from './manifest.ts';
import type { BackupSubject, ServiceHandle } from '../services/backup-subject-shape.ts';

/** What a backup or a restore works on. */
export interface Workspace {
  scope: RunScope;
  subject: BackupSubject;
  toolboxImage: string;
  /** The host folder backups go to (under the run's temp root unless the user names one). */
  backupDir: string;
  /** Where the service's volume is mounted: its image's data path. */
  dataDir: string;
  /** Backing up: the volume to back up. Restoring: the new, empty volume to restore into. */
  volume: string;
  /**
   * Backing up: the running service, undefined while a quiesced backup runs. Restoring: a
   * fresh service on the new volume, for methods that restore into a running service.
   */
  service: ServiceHandle | undefined;
  evidence: string[];
}

export interface Backup {
  /** The file a restore reads (archive or dump), with its manifest next to it. */
  file?: string;
  /** Or several such files (a user's procedure may leave more than one). */
  files?: string[];
  /** Or the volume a restore copies from. */
  volume?: string;
  name: string;
  bytes: number;
  sha256: string | null;
  entries: number | null;
  /** What ran, as a user would type it. */
  commands: string[];
  /** When the backup that will be restored started (the harness's monotonic clock, harnessNowMs), if not the drill's backup step. */
  startedAt?: number;
  rotation?: RotationFacts;
}

export interface BackupMethod {
  /** Stable name used in result ids, e.g. "helper-tar". */
  name: string;
  title: string;
  mode: BackupMode;
  /** Stop the service while the backup runs (quiesced), or keep it running and writing. */
  quiesce: boolean;
  /** 'volume': data goes into the empty volume before the service starts; 'service': loaded into a fresh service. */
  restoresInto: 'volume' | 'service';
  /**
   * Where the service's data must live for this method to back it up (a disk it can snapshot);
   * absent for methods that work on any named volume. Returns the new volume's name, and what
   * settles the data put there before the service starts (a sentence for the evidence).
   */
  dataVolume?(scope: RunScope, purpose: string, toolboxImage: string): Promise<{ volume: string; settle(): Promise<string> }>;
  backup(workspace: Workspace): Promise<Backup>;
  restore(backup: Backup, workspace: Workspace): Promise<void>;
}

export { BackupFailedError, RestoreFailedError } from '../targets/logical-dump.ts';

/** A timestamp as the seed's scripts write it: date +%Y%m%d_%H%M%S (UTC here). */
export function backupStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** A backup kept in one file: its size and digest come from the manifest just written for it. */
export function fileBackup(file: string, manifest: Manifest, commands: string[]): Backup {
  return { file, name: manifest.backup, bytes: manifest.bytes, sha256: manifest.sha256, entries: manifest.entries.length, commands };
}

export { lastLines } from '../terminal/last-lines.ts';
