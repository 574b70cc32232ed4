// The services of a copy as the check probes them (subjects), and what each held before a
// disruption: a file in every data path, a dataset through a database the registry recognises,
// a site over HTTP (as its service folder's site kit writes one), and the user's own seed
// command from x-persist.
import type { LedgerLog } from '../probes/ledger.ts';
import type { ServiceSettings } from '../compose/x-persist.ts';
import type { Fingerprint } from '../data/fingerprint.ts';
import type { InventoryObject } from '../data/inventory.ts';
import { listsObjects, objectsInServer } from '../services/server-objects.ts';
import { describeError, HarnessError, StepTimeoutError } from '../errors.ts';
import { CommandProbe } from '../probes/command-probe.ts';
import { FileProbe } from '../probes/file-probe.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import type { Audit, CheckCell } from '../report/model.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import type { SiteKit, SiteProbe, SiteServices } from '../services/sites.ts';
import { type DatabaseAccess, databaseAccess, databasePort, roundDataset } from './database-probe.ts';
import { exitedReason, untilReady } from './readiness.ts';
import { siteCapability, siteServices } from './site-probe.ts';

export type Progress = (line: string) => void;
export type AuditService = Audit['services'][number];
export type AuditDataPath = AuditService['dataPaths'][number];

/** One service as the check probes it. */
export interface Subject {
  service: AuditService;
  settings: ServiceSettings | undefined;
  files: FileProbe;
  /** The user's seed and fingerprint commands, when x-persist gives them. */
  command: CommandProbe | undefined;
  /** The data path the user's commands are judged by: their first x-persist data path, else the first. */
  primary: AuditDataPath | undefined;
  /** A database the registry recognises, and how to log in to it; none once it proved unreachable. */
  database: DatabaseAccess | undefined;
  /** The data path the server keeps its data in: the dataset is judged by its storage. */
  databasePath: AuditDataPath | undefined;
  /** The kit that lists the server's objects from inside its container, for a database it knows. */
  objectsKit: string | undefined;
  /** A site: its services, a login to its database, and its kit; none once it proved unreachable. */
  site: { services: SiteServices; kit: SiteKit; rows: AuditDataPath | undefined } | undefined;
  /**
   * Data paths the server keeps in a folder named after a host name nothing pins (the audit's
   * hostname-not-pinned): a file there outlives a recreate that the server's data does not.
   */
  strandedByHostname: readonly string[];
}

/** What a subject held before a disruption; undefined where nothing could be written. */
export interface Seeded {
  subject: Subject;
  files: Fingerprint | undefined;
  command: Fingerprint | undefined;
  /** The dataset written through the server, with the probe that wrote it (its tables are this round's). */
  dataset?: { probe: SqlProbe; before: Fingerprint };
  /** Before a restore: the server's objects from its catalogues, or why they could not be listed. */
  objects?: InventoryObject[] | { failure: string };
  /** This round's content on a site, with the probe that wrote it. */
  site?: { probe: SiteProbe; before: Fingerprint; httpSummary: string };
  /** The writes acknowledged while the server was killed. */
  ledger?: LedgerLog;
  /** Why the service was not ready to be written: then no probe wrote anything. */
  notReady?: string;
  /** Why a probe wrote nothing this round, by probe. */
  problems: Partial<Record<CheckCell['probe'], string>>;
}

/** Why a probe holds nothing this round: its own problem, else the service's readiness. */
export function whyNotSeeded(seeded: Seeded, probe: CheckCell['probe']): string {
  return seeded.problems[probe] ?? seeded.notReady ?? 'it was not written';
}

export class SeedFailedError extends HarnessError {
  constructor(service: string, detail: string) {
    super(`Seeding ${service} failed before any disruption ran: ${detail}`, 'Fix the seed command in x-persist (or the service), then check again.');
  }
}

export function subjectsOf(audit: Audit, settings: Record<string, ServiceSettings>, stack: ComposeStack, progress: Progress): Subject[] {
  return audit.services
    .filter((service) => service.dataPaths.length > 0 || settings[service.service]?.seed !== undefined)
    .map((service) => {
      const own = settings[service.service];
      const declared = own?.data?.[0];
      return {
        service,
        settings: own,
        files: new FileProbe(
          service.service,
          service.dataPaths.map((path) => path.path),
        ),
        command: own?.seed && own.fingerprint ? new CommandProbe(service.service, { seed: own.seed, fingerprint: own.fingerprint }) : undefined,
        primary: service.dataPaths.find((path) => path.path === declared) ?? service.dataPaths[0],
        database: accessOf(service, stack, progress),
        databasePath: service.dataPaths.find((path) => path.origin !== 'x-persist'),
        objectsKit: service.recognisedAs !== undefined && listsObjects(service.recognisedAs) ? service.recognisedAs : undefined,
        site: siteOf(service, audit, stack, progress),
        strandedByHostname: audit.findings.filter((f) => f.service === service.service && f.rule === 'hostname-not-pinned').map((f) => f.path),
      };
    });
}

function accessOf(service: AuditService, stack: ComposeStack, progress: Progress): DatabaseAccess | undefined {
  const access = databaseAccess(service, stack.environmentOf(service.service), stack.commandOf(service.service));
  if (access && 'reason' in access) progress(`${service.service}: no dataset written through the server (${access.reason}); its data is proven by files`);
  return access && 'target' in access ? access : undefined;
}

function siteOf(service: AuditService, audit: Audit, stack: ComposeStack, progress: Progress): Subject['site'] {
  const found = siteServices(service, stack.environmentOf(service.service), stack.services);
  if (found && 'reason' in found) progress(`${service.service}: no site content written (${found.reason}); its data is proven by files`);
  if (!found || 'reason' in found) return undefined;
  const database = audit.services.find((other) => other.service === found.services.database);
  return { ...found, rows: database?.dataPaths.find((path) => path.origin !== 'x-persist') };
}

export async function seed(stack: ComposeStack, subject: Subject, round: number, notes: string[], options: { objects?: boolean } = {}): Promise<Seeded> {
  const seeded: Seeded = { subject, files: undefined, command: undefined, problems: {} };
  const notReady = await untilReady(stack, subject.service, subject.settings?.ready);
  if (notReady) return { ...seeded, notReady: `before the disruption, ${notReady}` };
  try {
    seeded.files = await subject.files.seed(stack);
  } catch (error) {
    seeded.problems.file = stack.redact(describeError(error));
  }
  try {
    seeded.command = subject.command ? await subject.command.seed(stack) : undefined;
  } catch (error) {
    const detail = stack.redact(describeError(error));
    // The user's own seed failing is bad input, not a finding about the data: say so before anything is disrupted.
    if (round === 0) throw new SeedFailedError(subject.service.service, detail);
    seeded.problems.command = detail;
  }
  const { database, site: access } = subject;
  const dataset = database
    ? await seedOwnProbe(stack, seeded, round, notes, 'dataset', async () => {
        const probe = new SqlProbe(database.target, roundDataset(round), subject.service.service, database.login);
        return { probe, before: await probe.seed(stack) };
      })
    : undefined;
  if (options.objects && subject.objectsKit) seeded.objects = await objectsOrWhyNot(stack, subject.service.service, subject.objectsKit);
  const site = access
    ? await seedOwnProbe(stack, seeded, round, notes, 'site', async () => {
        // The site is half in its database: with that stopped, the site answers 500 until any wait gives up.
        const databaseDown = stack.hasContainer(access.services.database) ? await exitedReason(stack, access.services.database) : undefined;
        if (databaseDown) throw new Error(`its database ${databaseDown}`);
        return attempts(
          SITE_SEED_ATTEMPTS,
          (failure) => notes.push(`${subject.service.service}: writing ${access.kit.content}: ${stack.redact(failure)}`),
          async () => {
            const probe = access.kit.probe(access.services, round);
            const before = await probe.seed(stack);
            return { probe, before, httpSummary: probe.httpSummary };
          },
        );
      })
    : undefined;
  return { ...seeded, ...(dataset ? { dataset } : {}), ...(site ? { site } : {}) };
}

/** The service's objects from its server's catalogues, or why they could not be listed (a login from a file the kit cannot read). */
export async function objectsOrWhyNot(stack: ComposeStack, service: string, kit: string): Promise<InventoryObject[] | { failure: string }> {
  try {
    const listed = await objectsInServer(kit, stack.containerId(service));
    return listed ? listed.objects : { failure: 'its image has no way to list them' };
  } catch (error) {
    return { failure: stack.redact(describeError(error)) };
  }
}

/**
 * The site is written in a dozen HTTP requests: one answered badly while Apache or its database
 * settles is tried again. Each attempt adds posts and media of its own and rewrites the plugin
 * file, so an earlier attempt's leftovers change nothing that is judged. A step that timed out
 * has waited long enough already and is not tried again.
 */
const SITE_SEED_ATTEMPTS = 3;

async function attempts<T>(limit: number, onFailure: (failure: string) => void, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= limit || error instanceof StepTimeoutError) throw error;
      onFailure(`attempt ${attempt} of ${limit} failed (${describeError(error)}); trying again`);
    }
  }
}

/**
 * Writes this round's data through the service's own protocol. Before any disruption, a failure
 * means the check's own way in does not work (a login the service refuses): the probe is dropped
 * for the whole check, with a note, and files still prove the data. After that, the probe owes
 * its cell: the failure is kept as the reason that cell is unavailable.
 */
async function seedOwnProbe<T>(
  stack: ComposeStack,
  seeded: Seeded,
  round: number,
  notes: string[],
  kind: 'dataset' | 'site',
  write: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    const detail = stack.redact(describeError(error));
    const { subject } = seeded;
    if (round > 0) seeded.problems[kind] = detail;
    else {
      const what = kind === 'dataset' ? 'the dataset' : (subject.site?.kit.content ?? 'the site content');
      if (kind === 'dataset') subject.database = undefined;
      else subject.site = undefined;
      notes.push(`${subject.service.service}: ${what} could not be written (${detail}); its data is proven by files`);
    }
    return undefined;
  }
}

/**
 * What the probes connect to in the copy: each database's port, and a site's HTTP on a port
 * that stays the same across recreates, as a user's published port does (the site redirects to
 * the address it was installed at).
 */
export function probePortsOf(audit: Audit): { probe: Record<string, number[]>; fixed: Record<string, number[]> } {
  const probe: Record<string, number[]> = {};
  const fixed: Record<string, number[]> = {};
  for (const service of audit.services) {
    const port = databasePort(service);
    if (port !== undefined) probe[service.service] = [port];
    const site = siteCapability(service);
    if (site) {
      probe[service.service] = [site.httpPort];
      fixed[service.service] = [site.httpPort];
    }
  }
  return { probe, fixed };
}
