// `persist audit`: a Compose project on paper. Reads the project through `docker compose config`
// and each image through `docker image inspect`, starts nothing, and says for every service where
// each data path lands and which lifecycle command would lose it.
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { emptyImageFacts, engineApiVersion, type ImageFacts } from '../docker/engine.ts';
import { isWithin } from '../storage/paths.ts';
import { HarnessError, UsageError } from '../errors.ts';
import { composeArgs, composeConfig, composeVersion, type ComposeOptions } from './compose-cli.ts';
import { announcedVersion } from './image-version.ts';
import { floatingTagFinding, keepsData } from './tag-pin.ts';
import { bindPermissionFindings, runsAs } from './bind-permissions.ts';
import { hostFolders } from './host-folders.ts';
import { hostnameFinding, loseOnNewContainer, strandedByHostname } from './hostname-trap.ts';
import { type Catalogued, type DataPath, dataPathsOf, mayBeCache, recognise, type ServiceRuntime } from './data-paths.ts';
import { catalogueEntry, describeSource, layoutFor } from './catalogue/catalogue.ts';
import { catalogueDiffers } from './catalogue/differs.ts';
import { DEFAULT_FACTS_OPTIONS, type FactsOptions, imageFactsReader, type ImageFactsReader, isUnread, type ReadFacts } from './facts/image-facts.ts';
import { tagOf } from './image-reference.ts';
import { readImageFile } from '../docker/image-files.ts';
import { runLabels } from '../docker/labels.ts';
import { storageProfile } from '../services/registry.ts';
import { entrypointCandidates, refusesFormerMount } from './entrypoint.ts';
import {
  type DataPathView,
  type EntrypointFacts,
  type Finding,
  findingsFor,
  formerDataMount,
  upgradeMovesData,
  viewOf,
  type ServiceFacts,
} from './findings.ts';
import { readProject, type ComposeProject, type ProjectService } from './project.ts';
import { composeFilesOf, readPositions } from './positions.ts';
import type { Audit } from '../report/model.ts';
import { LIFECYCLE, type PruneScope, pruneScopeOf, withImageVolumes, type StorageMount } from './storage-map.ts';
import { parseXPersist, type ServiceSettings, upgradeImageOf, type XPersistSettings } from './x-persist.ts';

export type ServiceAudit = Audit['services'][number];

/** An image's facts where any source had them; undefined where none did. */
type Images = (reference: string) => Promise<ImageFacts | undefined>;

function factsOnly(reader: ImageFactsReader): Images {
  return async (reference) => {
    const answer = await reader.ofImage(reference);
    return isUnread(answer) ? undefined : answer.facts;
  };
}

/**
 * The mounts `volumes_from: [other]` brings: every mount of the other service's container, the
 * anonymous volumes of its image's VOLUMEs included (read-only with `:ro`). A mount of this
 * service's own at the same path wins. `container:NAME` names a container outside the project.
 */
async function inheritedMounts(service: ProjectService, services: readonly ProjectService[], imageOf: Images): Promise<StorageMount[]> {
  const inherited: StorageMount[] = [];
  for (const entry of service.volumesFrom) {
    const [name = '', mode] = entry.split(':');
    const other = services.find((candidate) => candidate.name === name);
    if (!other || entry.startsWith('container:')) continue;
    const image = await imageOf(other.image);
    for (const mount of withImageVolumes(other.mounts, image?.volumes ?? [])) inherited.push({ ...mount, readOnly: mount.readOnly || mode === 'ro' });
  }
  const own = new Set(service.mounts.map((mount) => mount.target));
  return inherited.filter((mount) => !own.has(mount.target));
}

function runtimeOf(service: ProjectService, image: ImageFacts): ServiceRuntime {
  return {
    imageVolumes: image.volumes,
    imageEnv: image.env,
    imageWorkingDir: image.workingDir,
    imageEntrypoint: image.entrypoint,
    imageCmd: image.cmd,
    environment: service.environment,
    command: service.command,
    entrypoint: service.entrypoint,
    workingDir: service.workingDir,
  };
}

/** What the audit of one service needs besides the service: its settings, the project, the images, how to name a Compose command. */
interface AuditContext {
  settings: ServiceSettings | undefined;
  project: ComposeProject;
  imageOf: Images;
  reader: ImageFactsReader;
  options: ComposeOptions;
  /** What a plain `docker volume prune` removes on the engine the audit talks to. */
  prune: PruneScope;
  /** Reads a file of an image without running it (the first candidate path it has). */
  readImageFile: (image: string, candidates: readonly string[]) => Promise<{ path: string; text: string } | undefined>;
}

/**
 * The entrypoint's behaviour where a rule depends on it: only for a mount at a data directory an
 * earlier layout used while this image keeps its data elsewhere (postgres 18 and later).
 */
async function entrypointFacts(
  service: ProjectService,
  read: ReadFacts,
  catalogued: Catalogued | undefined,
  mounts: readonly StorageMount[],
  dataPaths: readonly DataPathView[],
  context: AuditContext,
): Promise<EntrypointFacts | undefined> {
  const storage = storageProfile(recognise(service.image));
  if (!dataPaths.some((path) => formerDataMount(mounts, path.path, storage))) return undefined;
  // Only an image on this machine has files to read; otherwise the catalogue says what its entrypoint does.
  if (read.source !== 'local-image')
    return catalogued?.layout.refusesFormerMount !== undefined
      ? {
          path: catalogued.layout.entrypoint ?? 'its entrypoint script',
          refusesFormerMount: catalogued.layout.refusesFormerMount,
          readFrom: `as the catalogue records it from ${describeSource(catalogued.entry)}`,
        }
      : undefined;
  const image = read.facts;
  const script = await context.readImageFile(service.image, entrypointCandidates(service.entrypoint ?? image.entrypoint, image.env));
  return script ? { path: script.path, refusesFormerMount: refusesFormerMount(script.text), readFrom: 'read from the image' } : undefined;
}

/** The catalogue's entry for the image, in the layout of the version read (else its tag's). */
function cataloguedAs(reference: string, version: string | undefined): Catalogued | undefined {
  const entry = catalogueEntry(reference);
  return entry ? { entry, layout: layoutFor(entry, version ?? tagOf(reference)) } : undefined;
}

async function auditService(service: ProjectService, context: AuditContext): Promise<{ view: ServiceAudit; findings: Finding[] }> {
  const { settings, project, imageOf, reader } = context;
  const fixedNames = project.fixedVolumeNames;
  const composeMounts = [...service.mounts, ...(await inheritedMounts(service, project.services, imageOf))];
  const upgradeTo = upgradeImageOf(service.name, settings);
  const [read, newImage] = await Promise.all([reader.ofService(service), upgradeTo ? imageOf(upgradeTo) : undefined]);
  if (isUnread(read)) return unreadService(service, context, composeMounts, read.unread);
  const image = read.facts;
  const recognisedAs = recognise(service.image);
  const declared = settings?.data ?? [];
  const mounts = withImageVolumes(composeMounts, image.volumes);
  const ephemeral = settings?.ephemeral ?? [];
  const runtime = runtimeOf(service, image);
  const version = announcedVersion(image.labels, image.env);
  const catalogued = cataloguedAs(service.image, version);
  const dataPaths = pathViews(dataPathsOf(recognisedAs, runtime, declared, catalogued), mounts, ephemeral, context.prune, newImage?.volumes);
  // A new container with a new host name is a new, empty node on the same storage (RabbitMQ).
  const stranded = strandedByHostname(dataPaths, service, storageProfile(recognisedAs));
  loseOnNewContainer(stranded);
  const floating = floatingTagFinding({
    service: service.name,
    image: service.image,
    builds: service.builds,
    recognisedAs,
    version,
    stateful: keepsData(dataPaths, mounts),
    ...(read.source === 'catalogue' ? { assumedCurrent: true } : {}),
  });
  const differs = read.source === 'catalogue' ? undefined : catalogueDiffers(service.name, service.image, read, catalogued);
  const findings: Finding[] = [...(floating ? [floating] : []), ...(differs ? [differs] : [])];
  if (upgradeTo && !newImage) findings.push(unreadImage(service, upgradeTo, context.options, 'upgrade'));
  let upgrade: ServiceFacts['upgrade'];
  if (newImage && upgradeTo) {
    const newMounts = withImageVolumes(composeMounts, newImage.volumes);
    const newPaths = dataPathsOf(
      recognise(upgradeTo) ?? recognisedAs,
      runtimeOf(service, newImage),
      declared,
      cataloguedAs(upgradeTo, announcedVersion(newImage.labels, newImage.env)),
    );
    upgrade = { image: upgradeTo, newImageVolumes: newImage.volumes, dataPaths: newPaths.map((path) => viewOf(path, newMounts, undefined, context.prune)) };
    // The storage survives the upgrade, but the new server does not use it: for the data, lost.
    for (const view of dataPaths) if (upgradeMovesData(view, upgrade)) view.fates.upgrade = 'lost';
  }
  const entrypoint = await entrypointFacts(service, read, catalogued, mounts, dataPaths, context);
  findings.push(
    ...bindPermissionFindings({ service: service.name, runsAs: runsAs(service.user, image.user), dataPaths, mounts, folders: await hostFolders(mounts) }),
  );
  const facts: ServiceFacts = {
    service: service.name,
    image: service.image,
    mounts,
    dataPaths,
    ephemeral,
    ...(recognisedAs ? { recognisedAs } : {}),
    ...(upgrade ? { upgrade } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    ...(mayBeCache(recognisedAs, runtime) ? { mayBeCache: true } : {}),
    ...(stranded.length > 0 ? { strandedByHostname: stranded.map((path) => hostnameFinding(service.name, path, storageProfile(recognisedAs))) } : {}),
  };
  const view: ServiceAudit = {
    service: service.name,
    image: service.image,
    imageId: image.id,
    facts: { source: read.source, from: read.from, ...(version ? { version } : {}) },
    mounts,
    dataPaths,
    ...(recognisedAs ? { recognisedAs } : {}),
    ...(upgrade && newImage ? { upgrade: { image: upgrade.image, imageId: newImage.id, dataPaths: upgrade.dataPaths } } : {}),
  };
  return { view, findings: [...findings, ...findingsFor(facts, fixedNames)] };
}

/** Each data path where it lands and what each lifecycle command does to it, marked where x-persist declares it ephemeral. */
function pathViews(
  paths: readonly DataPath[],
  mounts: readonly StorageMount[],
  ephemeral: readonly string[],
  prune: PruneScope,
  newImageVolumes?: readonly string[],
): DataPathView[] {
  return paths.map((path) => {
    const view = viewOf(path, mounts, newImageVolumes, prune);
    return ephemeral.some((disposable) => isWithin(path.path, disposable)) ? { ...view, ephemeral: true } : view;
  });
}

/**
 * A service whose image cannot be read: where it keeps its data is unknown, so it is judged on
 * what the project itself says (its Compose mounts, the data paths x-persist declares), and the
 * audit says how to make it readable. The rest of the project is audited as usual.
 */
function unreadService(
  service: ProjectService,
  context: AuditContext,
  mounts: StorageMount[],
  reasons: readonly string[],
): { view: ServiceAudit; findings: Finding[] } {
  const declared = context.settings?.data ?? [];
  const ephemeral = context.settings?.ephemeral ?? [];
  const dataPaths = pathViews(dataPathsOf(undefined, runtimeOf(service, emptyImageFacts()), declared), mounts, ephemeral, context.prune);
  const facts: ServiceFacts = { service: service.name, mounts, dataPaths, ephemeral };
  const view: ServiceAudit = {
    service: service.name,
    image: service.image,
    imageId: '',
    facts: { source: 'unread', from: reasons.join('; ') },
    mounts,
    dataPaths,
  };
  const unread = unreadImage(service, service.image, context.options, 'service', declared.length, reasons);
  const stateful = keepsData(dataPaths, mounts);
  const floating = floatingTagFinding({
    service: service.name,
    image: service.image,
    builds: service.builds,
    recognisedAs: recognise(service.image),
    version: undefined,
    stateful,
  });
  return { view, findings: [unread, ...(floating ? [floating] : []), ...findingsFor(facts, context.project.fixedVolumeNames)] };
}

/** An image the project needs and this machine lacks, with the command that brings it. */
export interface MissingImage {
  service: string;
  image: string;
  /** What brings it: Compose builds an image the service builds, and pulls any other. */
  verb: 'build' | 'pull';
  /** `docker compose -f … build SERVICE` (or `pull`), with the user's own Compose options. */
  command: string;
}

export class ImagesNotHereError extends HarnessError {
  constructor(missing: readonly MissingImage[], purpose: string) {
    const one = missing.length === 1 ? missing[0] : undefined;
    super(
      one
        ? `Image ${one.image} of service ${one.service} is not on this machine, so ${purpose}.`
        : `The images of ${missing.length} services are not on this machine, so ${purpose}: ${missing.map((entry) => `${entry.service} (${entry.image})`).join(', ')}.`,
      `Run ${missing.map((entry) => `\`${entry.command}\``).join(' and ')}, then run persist again.`,
    );
  }
}

function fetchCommand(service: ProjectService, image: string, options: ComposeOptions, role: 'service' | 'upgrade'): string {
  if (role === 'upgrade') return `docker pull ${image}`;
  return ['docker', 'compose', ...composeArgs(options), service.builds ? 'build' : 'pull', service.name].join(' ');
}

/** The warning for an image the audit could not read, with the command that makes it readable. */
function unreadImage(
  service: ProjectService,
  image: string,
  options: ComposeOptions,
  role: 'service' | 'upgrade',
  declared = 0,
  reasons: readonly string[] = ['not on this machine'],
): Finding {
  const fetch = fetchCommand(service, image, options, role);
  return {
    service: service.name,
    severity: 'warning',
    rule: role === 'upgrade' ? 'upgrade-image-unread' : 'image-unread',
    path: image,
    message:
      role === 'upgrade'
        ? `The upgrade image ${image} is not on this machine, so what it does with the data cannot be read: the upgrade is not judged.`
        : `Image ${image} could not be read (${reasons.join('; ')}), so where it keeps its data is not known (its VOLUMEs, ENV and WORKDIR): it is judged only by its Compose mounts and ${declared > 0 ? 'the data paths x-persist declares' : 'the data paths x-persist declares, and it declares none'}.`,
    fix: `Run \`${fetch}\` and audit again, or name the service's data paths in x-persist \`data\`.`,
  };
}

/** Refuses a file that is not there in the harness's own words, before Compose is asked. */
async function checkFilesExist(files: readonly string[], projectDirectory: string | undefined): Promise<void> {
  for (const file of files) {
    const path = resolve(file);
    try {
      await access(path);
    } catch {
      throw new UsageError(
        `The Compose file ${file} does not exist${projectDirectory ? '' : ` (looked for ${path})`}.`,
        'Give the path of your compose.yaml with -f.',
      );
    }
  }
}

/** runId labels the containers the audit creates (never starts) to read an image's files. */
/** The engine's API version from its check, where the caller made one. */
function apiVersionOf(engine: unknown): string | undefined {
  const version = (engine as { apiVersion?: unknown } | undefined)?.apiVersion;
  return typeof version === 'string' ? version : undefined;
}

export async function auditProject(
  options: ComposeOptions,
  runId: string,
  facts: Partial<FactsOptions> = {},
  engineChecked?: Promise<unknown>,
): Promise<Audit> {
  return (await auditWithSettings(options, runId, facts, engineChecked)).audit;
}

/** The audit, the project's x-persist settings `persist check` acts on, and the images of its services this machine lacks. */
export async function auditWithSettings(
  options: ComposeOptions,
  runId: string,
  factsOptions: Partial<FactsOptions> = {},
  /** The engine's check, started by the caller: awaited once the project is read, before any image is. */
  engineChecked?: Promise<unknown>,
): Promise<{ audit: Audit; settings: XPersistSettings; missing: MissingImage[]; project: ComposeProject }> {
  await checkFilesExist(options.files, options.projectDirectory);
  // The three Compose calls at once; a Compose that is missing or too old is said before what it printed.
  const [version, resolved, written] = await Promise.allSettled([composeVersion(), composeConfig(options, true), composeConfig(options, false)]).then(
    (results) => {
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [string, unknown, unknown];
    },
  );
  const project = readProject(resolved, written);
  // Nothing audited is no verdict: a project whose every service sits behind a profile, say.
  if (project.services.length === 0)
    throw new UsageError(
      `The project ${project.name} has no service to audit${options.profiles.length > 0 ? ` with the profiles ${options.profiles.join(', ')}` : ''}.`,
      'Give the Compose files that define your services (-f), and --profile for services behind a profile.',
    );
  const apiVersion = apiVersionOf(await engineChecked) ?? (await engineApiVersion());
  const prune = pruneScopeOf(apiVersion);
  const settings = parseXPersist(
    project.xPersist,
    project.services.map((service) => service.name),
  );
  const reader = imageFactsReader({
    ...DEFAULT_FACTS_OPTIONS,
    projectDirectory: options.projectDirectory ?? dirname(resolve(options.files[0] ?? '.')),
    ...factsOptions,
  });
  const imageOf = factsOnly(reader);
  const audited = await Promise.all(
    project.services.map((service) =>
      auditService(service, {
        settings: settings.services?.[service.name],
        project,
        imageOf,
        reader,
        options,
        prune,
        readImageFile: (image, candidates) => readImageFile(image, candidates, runLabels(runId, 'read-image-file')),
      }),
    ),
  );
  const upgradeKnown = audited.some(({ view }) => view.upgrade !== undefined);
  // Positions are for code-scanning annotations: a file that cannot be read again costs them, not the audit.
  const positions = await readPositions(await composeFilesOf(options.files, options.projectDirectory ?? process.cwd())).catch(() => undefined);
  const located = (finding: Finding): Finding => {
    const location = positions?.of(finding.service, finding.path);
    return location ? { ...finding, location } : finding;
  };
  const audit: Audit = {
    project: project.name,
    composeVersion: version,
    files: options.files.map((file) => resolve(file)),
    lifecycle: LIFECYCLE.filter((command) => command !== 'upgrade' || upgradeKnown),
    prune: { apiVersion: apiVersion ?? null, plainRemovesNamed: apiVersion === undefined ? null : prune === 'all' },
    services: audited.map(({ view }) => view),
    findings: audited.flatMap(({ findings }) => findings.map(located)),
  };
  const missing = project.services
    // The check runs images, so only one on this machine counts; the audit could read the others elsewhere.
    .filter((service) => audit.services.find((view) => view.service === service.name)?.facts.source !== 'local-image')
    .map((service) => ({
      service: service.name,
      image: service.image,
      verb: service.builds ? ('build' as const) : ('pull' as const),
      command: fetchCommand(service, service.image, options, 'service'),
    }));
  return { audit, settings, missing, project };
}
