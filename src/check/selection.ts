// Which services of the project the check runs: those asked for with --services (and what they
// depend on), or every one; a service whose image is not on this machine, or that depends on one,
// is left out with the reason, and the rest is checked. A service asked for by name that cannot
// run is refused instead: the user named it, so leaving it out would answer another question.
import type { MissingImage } from '../compose/audit-project.ts';
import { ImagesNotHereError } from '../compose/audit-project.ts';
import { UsageError } from '../errors.ts';

export interface SelectableService {
  name: string;
  dependsOn: readonly string[];
  /** `volumes_from` entries (`service[:ro]` or `container:NAME`). */
  volumesFrom: readonly string[];
}

export interface Selection {
  checked: string[];
  leftOut: Array<{ service: string; reason: string }>;
}

/** The services a service needs started first: `depends_on` and the services of `volumes_from`. */
function needs(service: SelectableService): string[] {
  const fromVolumes = service.volumesFrom.filter((entry) => !entry.startsWith('container:')).map((entry) => entry.split(':')[0] ?? entry);
  return [...new Set([...service.dependsOn, ...fromVolumes])];
}

/** The services named and everything they need, transitively, in the project's order. */
export function closure(services: readonly SelectableService[], names: readonly string[]): string[] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const needed of needs(byName.get(name) ?? { name, dependsOn: [], volumesFrom: [] })) visit(needed);
  };
  for (const name of names) visit(name);
  return services.map((service) => service.name).filter((name) => seen.has(name));
}

/** Why a service cannot run in the copy: its own image, or one it needs, is missing. */
function blocker(name: string, services: readonly SelectableService[], missing: ReadonlyMap<string, MissingImage>): string | undefined {
  const own = missing.get(name);
  if (own) return `its image ${own.image} is not on this machine (\`${own.command}\` brings it)`;
  const needed = closure(services, [name]).find((other) => other !== name && missing.has(other));
  return needed ? `it needs ${needed}, whose image ${missing.get(needed)?.image} is not on this machine` : undefined;
}

export function selectServices(services: readonly SelectableService[], missingImages: readonly MissingImage[], asked?: readonly string[]): Selection {
  const names = services.map((service) => service.name);
  const unknown = (asked ?? []).filter((name) => !names.includes(name));
  if (unknown.length > 0)
    throw new UsageError(
      `--services names ${unknown.join(', ')}, not ${unknown.length === 1 ? 'a service' : 'services'} of this project (its services: ${names.join(', ')}).`,
      'Name services of the project, separated by commas.',
    );
  const missing = new Map(missingImages.map((entry) => [entry.service, entry]));
  const candidates = asked ? closure(services, asked) : names;
  const blocked = candidates.flatMap((name) => {
    const reason = blocker(name, services, missing);
    return reason ? [{ service: name, reason }] : [];
  });
  const needed = missingImages.filter((entry) => candidates.includes(entry.service));
  // What the user named must run; every service left out leaves nothing to check either.
  if (needed.length > 0 && (asked !== undefined || blocked.length === candidates.length))
    throw new ImagesNotHereError(needed, needed.length === 1 ? 'the copy cannot start it' : 'the copy cannot start them');
  return { checked: candidates.filter((name) => !blocked.some((entry) => entry.service === name)), leftOut: blocked };
}
