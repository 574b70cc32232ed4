// A WordPress service in a user's project, probed as the harness's WordPress drills probe their
// own: posts published over HTTP, a PNG uploaded, a plugin file placed, each read back as a
// visitor and from the database. The site spans two services (WordPress's files, its
// database's rows), found from the service's own WORDPRESS_DB_* settings.
import type { Audit } from '../report/model.ts';
import type { SiteServices } from '../targets/wordpress/stack.ts';
import type { Fate } from '../compose/storage-map.ts';

/** The container ports a site probe connects to: WordPress's HTTP, its database's MySQL. */
export const SITE_HTTP_PORT = 80;
export const SITE_DATABASE_PORT = 3306;

type Environment = Readonly<Record<string, string | null>>;

/**
 * The site's services and a login to its database, as the official image reads its settings
 * (the image's own defaults where the service sets none); why not, or undefined for a service
 * that is not WordPress.
 */
export function siteServices(
  service: Audit['services'][number],
  env: Environment,
  projectServices: readonly string[],
): SiteServices | { reason: string } | undefined {
  if (service.recognisedAs !== 'wordpress') return undefined;
  const host = (env.WORDPRESS_DB_HOST ?? 'mysql').split(':')[0] ?? '';
  if (!projectServices.includes(host)) return { reason: `its database host ${host} is not a service of this project` };
  return {
    web: service.service,
    database: host,
    login: {
      user: env.WORDPRESS_DB_USER ?? 'example username',
      password: env.WORDPRESS_DB_PASSWORD ?? 'example password',
      database: env.WORDPRESS_DB_NAME ?? 'wordpress',
    },
  };
}

/** The site lives in two places: it is predicted kept only where both its files and its rows are. */
export function sitePrediction(files: Fate | undefined, rows: Fate | undefined): Fate | undefined {
  if (files === undefined || rows === undefined) return undefined;
  return files === 'kept' && rows === 'kept' ? 'kept' : 'lost';
}
