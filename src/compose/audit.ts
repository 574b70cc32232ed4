// `persist audit`: a Compose project on paper. Reads the project through `docker compose config`
// and each image through `docker image inspect`, starts nothing, and says for every service where
// each data path lands and which lifecycle command would lose it.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inspectImage, type ImageFacts } from '../docker/engine.ts';
import { isWithin } from '../storage/paths.ts';
import { HarnessError, UsageError } from '../errors.ts';
import { composeConfig, composeVersion, type ComposeOptions } from './compose-cli.ts';
import { dataPathsOf, recognise, type ServiceRuntime } from './data-paths.ts';
import { findingsFor, upgradeMovesData, viewOf, type ServiceFacts } from './findings.ts';
import { readProject, type ComposeProject, type ProjectService } from './project.ts';
import type { Audit } from '../report/model.ts';
import { LIFECYCLE, withImageVolumes, type StorageMount } from './storage-map.ts';
import { parseXPersist, type ServiceSettings, upgradeImageOf, type XPersistSettings } from './x-persist.ts';

export type ServiceAudit = Audit['services'][number];

export class ImageNotHereError extends HarnessError {
  constructor(image: string, service: string, builds: boolean) {
    super(
      `Image ${image} of service ${service} is not on this machine, so its VOLUMEs and settings cannot be read.`,
      `Run \`docker compose ${builds ? 'build' : 'pull'} ${service}\`, then run persist again.`,
    );
  }
}

/** Each image inspected once per audit, however many services run it. */
type Images = (reference: string, service: ProjectService) => Promise<ImageFacts>;

function imagesOnThisMachine(): Images {
  const inspected = new Map<string, Promise<ImageFacts | undefined>>();
  return async (reference, service) => {
    if (!inspected.has(reference)) inspected.set(reference, inspectImage(reference));
    const facts = await inspected.get(reference);
    if (!facts) throw new ImageNotHereError(reference, service.name, service.builds && reference === service.image);
    return facts;
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
    const image = await imageOf(other.image, other);
    for (const mount of withImageVolumes(other.mounts, image.volumes)) inherited.push({ ...mount, readOnly: mount.readOnly || mode === 'ro' });
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

async function auditService(service: ProjectService, settings: ServiceSettings | undefined, project: ComposeProject, imageOf: Images) {
  const fixedNames = project.fixedVolumeNames;
  const composeMounts = [...service.mounts, ...(await inheritedMounts(service, project.services, imageOf))];
  const upgradeTo = upgradeImageOf(service.name, settings);
  const [image, newImage] = await Promise.all([imageOf(service.image, service), upgradeTo ? imageOf(upgradeTo, service) : undefined]);
  const recognisedAs = recognise(service.image);
  const declared = settings?.data ?? [];
  const mounts = withImageVolumes(composeMounts, image.volumes);
  const ephemeral = settings?.ephemeral ?? [];
  const dataPaths = dataPathsOf(recognisedAs, runtimeOf(service, image), declared).map((path) => {
    const view = viewOf(path, mounts, newImage?.volumes);
    return ephemeral.some((disposable) => isWithin(path.path, disposable)) ? { ...view, ephemeral: true } : view;
  });
  let upgrade: ServiceFacts['upgrade'];
  if (newImage && upgradeTo) {
    const newMounts = withImageVolumes(composeMounts, newImage.volumes);
    const newPaths = dataPathsOf(recognise(upgradeTo) ?? recognisedAs, runtimeOf(service, newImage), declared);
    upgrade = { image: upgradeTo, newImageVolumes: newImage.volumes, dataPaths: newPaths.map((path) => viewOf(path, newMounts)) };
    // The storage survives the upgrade, but the new server does not use it: for the data, lost.
    for (const view of dataPaths) if (upgradeMovesData(view, upgrade)) view.fates.upgrade = 'lost';
  }
  const facts: ServiceFacts = {
    service: service.name,
    mounts,
    dataPaths,
    ephemeral,
    ...(recognisedAs ? { recognisedAs } : {}),
    ...(upgrade ? { upgrade } : {}),
  };
  const view: ServiceAudit = {
    service: service.name,
    image: service.image,
    imageId: image.id,
    mounts,
    dataPaths,
    ...(recognisedAs ? { recognisedAs } : {}),
    ...(upgrade && newImage ? { upgrade: { image: upgrade.image, imageId: newImage.id, dataPaths: upgrade.dataPaths } } : {}),
  };
  return { view, findings: findingsFor(facts, fixedNames) };
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

export async function auditProject(options: ComposeOptions): Promise<Audit> {
  return (await auditWithSettings(options)).audit;
}

/** The audit, and the project's x-persist settings `persist check` acts on. */
export async function auditWithSettings(options: ComposeOptions): Promise<{ audit: Audit; settings: XPersistSettings }> {
  await checkFilesExist(options.files, options.projectDirectory);
  const version = await composeVersion();
  const [resolved, written] = await Promise.all([composeConfig(options, true), composeConfig(options, false)]);
  const project = readProject(resolved, written);
  const settings = parseXPersist(
    project.xPersist,
    project.services.map((service) => service.name),
  );
  const images = imagesOnThisMachine();
  const audited = await Promise.all(project.services.map((service) => auditService(service, settings.services?.[service.name], project, images)));
  const upgradeKnown = audited.some(({ view }) => view.upgrade !== undefined);
  const audit: Audit = {
    project: project.name,
    composeVersion: version,
    files: options.files.map((file) => resolve(file)),
    lifecycle: LIFECYCLE.filter((command) => command !== 'upgrade' || upgradeKnown),
    services: audited.map(({ view }) => view),
    findings: audited.flatMap(({ findings }) => findings),
  };
  return { audit, settings };
}
