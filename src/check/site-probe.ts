// A site in a user's project (a service whose image has the site capability), probed as its
// service folder's site kit says: content written through its pages, read back as a visitor and
// from its database. The site spans two services (its files, its database's rows), found from
// the service's own settings as its service folder reads them.
import type { Audit } from '../report/model.ts';
import { profileOf, type ServiceProfile } from '../services/registry.ts';
import { type SiteKit, siteKitOf, type SiteServices } from '../services/sites.ts';
import type { Fate } from '../compose/storage-map.ts';

type Environment = Readonly<Record<string, string | null>>;

/** The site capability of the image a service runs, if it has one. */
export function siteCapability(service: Audit['services'][number]): NonNullable<ServiceProfile['capabilities']['site']> | undefined {
  return profileOf(service.recognisedAs)?.capabilities.site;
}

/**
 * The site's services and a login to its database, as its image reads its settings (its service
 * folder says how); why not, or undefined for a service whose image keeps no site.
 */
export function siteServices(
  service: Audit['services'][number],
  env: Environment,
  projectServices: readonly string[],
): { services: SiteServices; kit: SiteKit } | { reason: string } | undefined {
  const site = siteCapability(service);
  const kit = siteKitOf(service.recognisedAs);
  if (!site || !kit) return undefined;
  const found = site.database(env, projectServices);
  if ('reason' in found) return found;
  return { services: { web: service.service, database: found.service, login: found.login }, kit };
}

/** The site lives in two places: it is predicted kept only where both its files and its rows are. */
export function sitePrediction(files: Fate | undefined, rows: Fate | undefined): Fate | undefined {
  if (files === undefined || rows === undefined) return undefined;
  return files === 'kept' && rows === 'kept' ? 'kept' : 'lost';
}
