// Where the audit learns what each service's image is, without pulling or building anything, in
// this order: the image on this machine; its registry's configuration (a few KB, read with the
// user's credentials); for a service that builds, its Dockerfile over its base image's facts; the
// catalogue of well-known images. What came from where is said per service in the report.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { emptyImageFacts, type ImageFacts, inspectImage } from '../../docker/engine.ts';
import { DEFAULT_REGISTRY_OPTIONS, readRegistryConfig, RegistryAnswer, type RegistryOptions, parseReference } from '../../docker/registry-config.ts';
import { catalogueEntry, describeSource, layoutFor } from '../catalogue/catalogue.ts';
import { tagOf } from '../image-reference.ts';
import type { ProjectService } from '../project.ts';
import { type BaseFacts, readDockerfile } from './dockerfile.ts';

export type FactsSource = 'local-image' | 'registry' | 'dockerfile' | 'catalogue';

export interface ReadFacts {
  facts: ImageFacts;
  source: FactsSource;
  /** Where exactly: the registry reference and digest, the Dockerfile and its base, the catalogue's source. */
  from: string;
}

/** No source had the image: why each one that was asked could not say. */
export interface Unread {
  unread: string[];
}

export type FactsAnswer = ReadFacts | Unread;

export function isUnread(answer: FactsAnswer | undefined): answer is Unread {
  return answer !== undefined && 'unread' in answer;
}

export interface FactsOptions {
  /** Ask no registry (`--offline`): the image on this machine, the Dockerfile and the catalogue only. */
  offline: boolean;
  /** Read images on this machine (the default): off, a verdict rests on the Dockerfiles and the catalogue alone, the same on every machine. */
  localImages: boolean;
  registry: RegistryOptions;
  /** The project's folder, for naming Dockerfiles relative to it. */
  projectDirectory: string;
}

export const DEFAULT_FACTS_OPTIONS: FactsOptions = { offline: false, localImages: true, registry: DEFAULT_REGISTRY_OPTIONS, projectDirectory: process.cwd() };

/** Facts of an image from the catalogue, in the layout its tag's version has (the current one for a floating tag). */
export function catalogueFacts(reference: string): ReadFacts | undefined {
  const entry = catalogueEntry(reference);
  if (!entry) return undefined;
  const layout = layoutFor(entry, tagOf(reference));
  const facts: ImageFacts = {
    ...emptyImageFacts(reference),
    volumes: [...layout.volumes],
    env: { ...(layout.env ?? {}) },
    workingDir: layout.workingDir ?? '/',
    user: layout.user ?? '',
    cmd: [...(layout.cmd ?? [])],
    defaultCommand: [...(layout.cmd ?? [])],
  };
  return { facts, source: 'catalogue', from: describeSource(entry) };
}

/**
 * Reads images once per audit, however many services name them. A registry that could not be
 * reached is not asked again in the same audit: one unreachable host costs one timeout.
 */
export function imageFactsReader(options: FactsOptions = DEFAULT_FACTS_OPTIONS) {
  const byReference = new Map<string, Promise<FactsAnswer>>();
  const unreachable = new Map<string, string>();

  async function fromRegistry(reference: string): Promise<ReadFacts | string> {
    const host = parseReference(reference).host;
    const known = unreachable.get(host);
    if (known) return known;
    try {
      const read = await readRegistryConfig(reference, options.registry);
      return { facts: read.facts, source: 'registry', from: `${read.from}${read.cached ? ', cached' : ''}` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof RegistryAnswer) return `registry: ${reason}`;
      const said = `registry ${host} could not be reached (${causeOf(error) ?? reason})`;
      unreachable.set(host, said);
      return said;
    }
  }

  /** Any image by reference: this machine, its registry, the catalogue. */
  async function ofImage(reference: string): Promise<FactsAnswer> {
    if (!byReference.has(reference)) byReference.set(reference, readImage(reference));
    return byReference.get(reference) as Promise<FactsAnswer>;
  }

  const onThisMachine = (reference: string) => (options.localImages ? inspectImage(reference) : Promise.resolve(undefined));

  async function readImage(reference: string): Promise<FactsAnswer> {
    const local = await onThisMachine(reference);
    if (local) return { facts: local, source: 'local-image', from: 'docker image inspect' };
    const reasons = ['not on this machine'];
    if (!options.offline) {
      const remote = await fromRegistry(reference);
      if (typeof remote !== 'string') return remote;
      reasons.push(remote);
    }
    return catalogueFacts(reference) ?? { unread: [...reasons, 'not in the catalogue'] };
  }

  async function fromDockerfile(service: ProjectService): Promise<ReadFacts | string> {
    const build = service.build;
    if (!build) return 'no build settings';
    const name = build.dockerfile ? relative(options.projectDirectory, build.dockerfile) || build.dockerfile : 'the inline Dockerfile';
    const text = build.inline ?? (await readFile(build.dockerfile as string, 'utf8').catch(() => undefined));
    if (text === undefined) return `its Dockerfile ${name} could not be read`;
    try {
      const read = await readDockerfile(
        text,
        { name, args: build.args, ...(build.target ? { target: build.target } : {}) },
        async (image): Promise<BaseFacts> => {
          const base = await ofImage(image);
          return isUnread(base) ? { facts: undefined, from: 'unread' } : { facts: base.facts, from: base.source };
        },
      );
      return { facts: { ...read.facts, reference: service.image, id: '' }, source: 'dockerfile', from: read.from };
    } catch (error) {
      return `its Dockerfile ${name} could not be read (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  /** A service's image: as any image, except that one it builds is read from its Dockerfile before the catalogue, and one only built is never asked of a registry. */
  async function ofService(service: ProjectService): Promise<FactsAnswer> {
    if (!service.builds) return ofImage(service.image);
    const local = await onThisMachine(service.image);
    if (local) return { facts: local, source: 'local-image', from: 'docker image inspect' };
    const reasons = ['not on this machine (not built yet)'];
    if (service.imageNamed && !options.offline) {
      const remote = await fromRegistry(service.image);
      if (typeof remote !== 'string') return remote;
      reasons.push(remote);
    }
    const built = await fromDockerfile(service);
    if (typeof built !== 'string') return built;
    reasons.push(built);
    return catalogueFacts(service.image) ?? { unread: reasons };
  }

  return { ofImage, ofService };
}

export type ImageFactsReader = ReturnType<typeof imageFactsReader>;

function causeOf(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message;
}
