// What one restore of an artifact into a throwaway server yields, the server it goes into, and
// the checks every restore's data goes through: every table's rows, the expectations, the data age.
import type { Verify } from '../report/model.ts';
import { HarnessError } from '../errors.ts';
import type { ArtifactKit, Replayed, RestoreOutcome, RunInServer, TableCount } from '../services/artifact-kits.ts';
import { epochMs, round, stopwatch } from '../timing/clock.ts';
import { type Inventory, judgeObject, judgeObjectCount } from '../data/inventory.ts';
import { type DataAge, type ExpectationResult, judgeFreshness, judgeQuery, type VerifySettings } from './expectations.ts';
import type { ServerSetup } from './throwaway-server.ts';
import type { AppServiceSetup } from './app-on-restore.ts';
import { judgeFile, type VolumeHelper } from './volume-tar.ts';
import type { PassOutcome } from './verify-verdict.ts';

/** The server to restore into, and what the restored data must hold. */
export interface VerifyTarget {
  /** The service's name in the user's project, when verify read it from there. */
  service: string | null;
  setup: ServerSetup;
  settings: VerifySettings;
  /** The registry's image choice was made by the stand-in set: a missing image is built, not pulled. */
  standIn: boolean;
  /** The registry's service the image is, if it knows it: its kit asks the restored server. */
  recognisedAs: string | undefined;
  /** Where the service keeps its data (a volume's tar is extracted there): given, or the one the project or image names. */
  dataPath: string | undefined;
  /** Where the user's own restore command runs: the project's folder, or the current one. */
  directory: string;
  /** The image persist extracts and looks through volumes with (a stand-in is built, not pulled). */
  helperImage: { reference: string; standIn: boolean };
  /** The application's services to start on the restored data (`--app`, x-persist `verify.app`), as the project configures them. */
  app: AppServiceSetup[];
}

/** A backup that cannot be verified as given: one sentence, exit 2. */
export class ArtifactUnusableError extends HarnessError {}

export interface Pass extends PassOutcome {
  restore: RestoreOutcome | null;
  /** A volume's restored files. */
  files: { count: number; bytes: number } | null;
  serverVersion: string | null;
  phases: Verify['phases'];
  /** The throwaway server the data was restored into, still running: the application is started on it. */
  serverId?: string;
  /** Replaying an archive: how far the server says it replayed. */
  replayed?: Replayed;
}

export async function answer(query: () => Promise<string | undefined>): Promise<{ value: string | undefined } | { error: string }> {
  try {
    return { value: await query() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export const EMPTY = { tables: [], expectations: [], dataAge: null, restore: null, files: null, inventory: null };

/** Where no kit can ask the server: an expectation on its rows cannot hold. */
const cannotQuery = async (): Promise<string | undefined> => {
  throw new Error('persist cannot query this image (it is no database persist knows)');
};

/** The inventory's time, left out of the checks phase as the integrity tools' is out of the restore's: not part of the recovery. */
export const checksMs = (elapsedMs: number, inventory: Inventory | null | undefined) => round(elapsedMs - (inventory?.ms ?? 0));

/** Every object of the restored databases, read from the server's catalogues by the kit; null where the kit has no catalogue to read. */
async function inventoryOf(kit: ArtifactKit, run: RunInServer, format: string | undefined, roles: readonly string[]): Promise<Inventory | { failure: string }> {
  const reading = stopwatch();
  const listed = await kit.inventory!(run, format, roles).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (listed instanceof Error) return { failure: `the restored database's objects could not be listed: ${listed.message}` };
  return { ...listed, ms: round(reading.ms()) };
}

/** What the restored data must hold, asked of the server through its kit and of the files through the helper. */
export async function checkRestored(
  kit: ArtifactKit | undefined,
  run: RunInServer | undefined,
  restored: { database: string | undefined; format: string | undefined; roles: readonly string[] },
  settings: VerifySettings,
  files?: VolumeHelper,
): Promise<Pick<Pass, 'tables' | 'expectations' | 'dataAge' | 'inventory'> | { failure: string }> {
  const database = restored.database;
  // A restored server that cannot even list its tables has not given the data back.
  const listed = kit && run ? await answer(async () => JSON.stringify(await kit.tables(run))) : { value: '[]' };
  if ('error' in listed) return { failure: `the restored data could not be read: ${listed.error}` };
  const tables = JSON.parse(listed.value ?? '[]') as TableCount[];
  // Where the restore did not say: the one database that holds tables (a volume's data, a dump of all).
  const holding = [...new Set(tables.map((table) => table.database))];
  const fallback = database ?? (holding.length === 1 ? holding[0] : undefined);
  const query = (sql: string, named: string | undefined) => (kit && run ? () => kit.value(run, sql, named ?? fallback) : cannotQuery);
  const inventory = kit?.inventory && run ? await inventoryOf(kit, run, restored.format, restored.roles) : null;
  if (inventory && 'failure' in inventory) return inventory;
  const expectations: ExpectationResult[] = [];
  for (const expectation of settings.expect ?? []) {
    if ('object' in expectation) expectations.push(judgeObject(expectation.object, expectation.database, inventory));
    else if ('objects' in expectation)
      expectations.push(
        ...Object.entries(expectation.objects).map(([plural, bounds]) => judgeObjectCount(plural, bounds ?? {}, expectation.database, inventory)),
      );
    else if ('sql' in expectation) expectations.push(judgeQuery(expectation, await answer(query(expectation.sql, expectation.database))));
    else if (files) expectations.push(await judgeFile(files, expectation.file));
    else
      expectations.push({ expectation: `${expectation.file} exists`, observed: "a file expectation needs a volume's tar, not a database dump", passed: false });
  }
  const fresh = settings.fresh;
  const dataAge: DataAge | null = fresh ? judgeFreshness(fresh, await answer(query(fresh.sql, fresh.database)), epochMs()) : null;
  return { tables, expectations, dataAge, inventory };
}
