// What a backup drill backs up and proves, as a service folder supplies it: a database (its data
// directory on a volume, its tables fingerprinted in SQL; src/services/database-backup-subject.ts
// makes one from any driver) or a service's files (WordPress's, fingerprinted file by file and by
// what the web server serves). Each can seed known data, take a snapshot of what must survive, and
// keep a ledger of writes going while the backup runs.
import { compareFingerprints, summariseFingerprint, type Fingerprint } from '../data/fingerprint.ts';
import type { Dataset } from '../data/dataset.ts';
import { type InventoryObject, missingObjects, objectName } from '../data/inventory.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { LedgerWriter } from '../probes/ledger.ts';
import { HarnessStack, type ServiceDefinition } from '../stack/harness-stack.ts';
import type { Stack } from '../stack/stack.ts';
import { compareListings, type Listing } from '../storage/file-listing.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import type { ServiceName } from './registry.ts';

/** A service running on a volume: a one-service stack. */
export interface ServiceHandle {
  stack: Stack;
  service: string;
  /** Its container now, for the methods that exec into it. */
  id: string;
  volume: string;
}

/** The subject's service as a one-service stack on the volume. */
export async function startService(env: SubjectEnv, name: string, volume: string, define: ServiceDefinition): Promise<ServiceHandle> {
  const stack = await HarnessStack.start(env.scope, 'backup', { [name]: define });
  return { stack, service: name, id: stack.containerId(name), volume };
}

export interface SubjectEnv {
  scope: RunScope;
  /** The service's image reference. */
  image: string;
  /** The helper image (alpine, or its stand-in) for listings and file writes. */
  toolboxImage: string;
}

export interface Snapshot {
  fingerprint: Fingerprint;
  /** File subjects: every entry, for a comparison that names each file. */
  listing?: Listing;
  /** Databases: every object besides rows (views, routines, triggers, events, indexes…), from the server's catalogues. */
  objects?: InventoryObject[];
}

export interface SnapshotComparison {
  identical: boolean;
  lost: number;
  unexpected: number;
  differences: string[];
  /** The source's objects the restore has, and those it lacks; absent where no objects were listed. */
  objects?: { kept: InventoryObject[]; lost: InventoryObject[] };
}

export interface SubjectSession {
  serverVersion(): Promise<string>;
  /** Writes the drill's dataset (and creates the ledger). */
  seed(): Promise<void>;
  /** What must survive a backup and restore; the ledger is left out (it is judged as RPO). */
  snapshot(): Promise<Snapshot>;
  /**
   * The objects the server holds besides rows, where its service's kit lists them: read apart from
   * the snapshot, whose time is the recovery's verification.
   */
  objects?(): Promise<InventoryObject[]>;
  startWriter(firstId: number): Promise<LedgerWriter>;
  ledgerIds(): Promise<number[]>;
  close(): Promise<void>;
}

export interface BackupSubject {
  /** The report's `target`. */
  name: string;
  displayName: string;
  image: ServiceName;
  /** Where the service keeps its data in this image: the volume is mounted here. */
  dataMount(image: string): Promise<string>;
  /** What a start prints when the data was not shut down cleanly; empty where there is no such thing. */
  crashRecoveryMarkers: RegExp[];
  initialisationMarkers: RegExp[];
  /** The line a started service prints once it serves; its earlier lines are then in the log. */
  readyMarker?: RegExp;
  logicalBackup?: DatabaseTarget['logicalBackup'];
  /** Settings handed to a user's backup and restore commands. */
  procedureEnv: Record<string, string>;
  /**
   * Puts the image's own first-start initialisation into a new volume before the service first
   * starts on it (see targets/initialised-copy.ts); the sentence for the evidence, or undefined.
   */
  initialise?(env: SubjectEnv, volume: string, templateScope: RunScope): Promise<string | undefined>;
  /** Creates and starts the service on the volume; resolves once its container runs. */
  create(env: SubjectEnv, volume: string): Promise<ServiceHandle>;
  /** Waits until the service answers; the session seeds and fingerprints this dataset. */
  connect(env: SubjectEnv, service: ServiceHandle, dataset: Dataset): Promise<SubjectSession>;
}

export function compareSnapshots(before: Snapshot, after: Snapshot): SnapshotComparison {
  if (before.listing && after.listing) {
    const files = compareListings(before.listing, after.listing);
    const served = Object.fromEntries(Object.entries(before.fingerprint).filter(([name]) => name.startsWith('served ')));
    const servedAfter = Object.fromEntries(Object.entries(after.fingerprint).filter(([name]) => name.startsWith('served ')));
    const http = compareFingerprints(served, servedAfter, { subject: (name) => name, unit: 'responses' });
    return {
      identical: files.identical && http.identical,
      lost: files.lost,
      unexpected: files.unexpected,
      differences: [...files.differences, ...http.differences],
    };
  }
  const tables = compareFingerprints(before.fingerprint, after.fingerprint);
  const rows = { identical: tables.identical, lost: tables.rowsLost, unexpected: tables.rowsUnexpected, differences: tables.differences };
  if (!before.objects || !after.objects) return rows;
  const lost = missingObjects(before.objects, after.objects);
  const kept = before.objects.filter((object) => !lost.includes(object));
  return {
    ...rows,
    identical: rows.identical && lost.length === 0,
    differences: [...rows.differences, ...lost.map((object) => `${objectName(object)} was in the source and is not in the restore`)],
    objects: { kept, lost },
  };
}

/** A sentence for the evidence: tables with their counts and hashes, or files in brief. */
export function describeSnapshot(snapshot: Snapshot): string {
  if (!snapshot.listing) return summariseFingerprint(snapshot.fingerprint);
  const files = [...snapshot.listing.values()].filter((entry) => entry.type === 'f').length;
  const served = Object.entries(snapshot.fingerprint)
    .filter(([name]) => name.startsWith('served '))
    .map(([name, t]) => (t.present ? `${name}: sha256 ${t.contentHash?.slice(0, 12)}` : `${name}: not served`));
  return [`${files} files and ${snapshot.listing.size - files} directories and links, each with its sha256, owner and mode`, ...served].join('; ');
}
