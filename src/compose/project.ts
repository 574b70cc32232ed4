// A Compose project as `docker compose config --format json` prints it, read into the few facts
// the audit needs: each service's image, configuration and mounts, and the project's volumes.
// The canonical model has already applied overlays, profiles, interpolation and path resolution.
import { resolve } from 'node:path';
import type { ComposeModel, ComposeModelBuild, ComposeModelService } from './compose-model.ts';
import { normalise, type StorageMount } from './storage-map.ts';

export interface ProjectService {
  name: string;
  /** The image Compose runs: `image:`, or for a service it builds, PROJECT-SERVICE. */
  image: string;
  builds: boolean;
  /** Whether `image:` is written: a service that only builds has a name no registry holds. */
  imageNamed: boolean;
  /** How Compose builds it: the Dockerfile (absolute path, or inline text), its args and target. */
  build?: ServiceBuild;
  environment: Record<string, string | null>;
  command: string[] | null;
  entrypoint: string[] | null;
  workingDir: string | null;
  /** `hostname:`; without it, Docker names every new container's host after its id. */
  hostname: string | null;
  /** `user:`, which overrides the image's USER. */
  user: string | null;
  /** The Compose file's own mounts (the image's VOLUMEs are added once the image is read). */
  mounts: StorageMount[];
  volumesFrom: string[];
  /** The services Compose starts before this one (`depends_on`). */
  dependsOn: string[];
}

export interface ServiceBuild {
  context: string;
  /** The Dockerfile's absolute path; absent when the Dockerfile is inline. */
  dockerfile?: string;
  inline?: string;
  args: Record<string, string | null>;
  target?: string;
}

function buildOf(build: ComposeModelBuild | undefined): ServiceBuild | undefined {
  if (!build?.context) return undefined;
  const dockerfile = build.dockerfile_inline === undefined ? resolve(build.context, build.dockerfile ?? 'Dockerfile') : undefined;
  return {
    context: build.context,
    ...(dockerfile ? { dockerfile } : { inline: build.dockerfile_inline }),
    args: build.args ?? {},
    ...(build.target ? { target: build.target } : {}),
  };
}

export interface ComposeProject {
  name: string;
  services: ProjectService[];
  /** Names of project volumes fixed with `name:` instead of scoped to the project. */
  fixedVolumeNames: Set<string>;
  xPersist: unknown;
  /** The canonical model it was read from (paths resolved): the copy of the project is planned from it, not read again. */
  model: ComposeModel;
}

/** A string command is split as Compose splits it for exec form: on whitespace. */
export function asArgs(value: string[] | string | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

function mountsOf(service: ComposeModelService, written: ComposeModelService | undefined, project: ComposeModel): StorageMount[] {
  const mounts: StorageMount[] = [];
  for (const [index, entry] of (service.volumes ?? []).entries()) {
    const target = normalise(entry.target);
    const readOnly = entry.read_only === true;
    if (entry.type === 'bind') {
      const asWritten = written?.volumes?.[index]?.source;
      const relative = asWritten !== undefined && !asWritten.startsWith('/');
      mounts.push({
        target,
        kind: 'bind-mount',
        source: entry.source ?? '',
        ...(relative ? { writtenSource: asWritten } : {}),
        readOnly,
        ...(entry.bind?.create_host_path ? { createsHostPath: true } : {}),
      });
    } else if (entry.type === 'tmpfs') {
      mounts.push({ target, kind: 'tmpfs', readOnly });
    } else if (entry.type === 'volume' && entry.source) {
      const declared = project.volumes?.[entry.source];
      const name = declared?.name ?? `${project.name}_${entry.source}`;
      mounts.push({ target, kind: declared?.external ? 'external-volume' : 'named-volume', source: name, readOnly });
    } else if (entry.type === 'volume') {
      mounts.push({ target, kind: 'anonymous-volume', readOnly });
    }
  }
  const tmpfs = typeof service.tmpfs === 'string' ? [service.tmpfs] : (service.tmpfs ?? []);
  for (const entry of tmpfs) mounts.push({ target: normalise(entry.split(':')[0] ?? entry), kind: 'tmpfs', readOnly: false });
  return mounts;
}

/** The project from its canonical model, resolved and as written (for relative bind sources). */
export function readProject(resolved: unknown, asWritten: unknown): ComposeProject {
  const project = resolved as ComposeModel;
  const written = asWritten as ComposeModel;
  const services = Object.entries(project.services ?? {}).map(
    ([name, service]): ProjectService => ({
      name,
      image: service.image ?? `${project.name}-${name}`,
      builds: service.build !== undefined,
      imageNamed: service.image !== undefined,
      ...(buildOf(service.build) ? { build: buildOf(service.build) } : {}),
      environment: service.environment ?? {},
      command: asArgs(service.command),
      entrypoint: asArgs(service.entrypoint),
      workingDir: service.working_dir ?? null,
      hostname: service.hostname ?? null,
      user: service.user ?? null,
      mounts: mountsOf(service, written.services?.[name], project),
      volumesFrom: service.volumes_from ?? [],
      dependsOn: Object.keys(service.depends_on ?? {}),
    }),
  );
  const fixedVolumeNames = new Set<string>();
  for (const [key, volume] of Object.entries(project.volumes ?? {})) {
    if (!volume.external && volume.name !== undefined && volume.name !== `${project.name}_${key}`) fixedVolumeNames.add(volume.name);
  }
  return { name: project.name, services, fixedVolumeNames, xPersist: project['x-persist'], model: project };
}
