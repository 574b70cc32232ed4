// WordPress: the official image's contract, as src/services/profile.ts describes a service. Its
// site is proven through its pages and its database (its site kit, stack, client and probe, in this folder).
import { type ServiceEnvironment, type ServiceProfile, type SiteDatabase, standIn } from '../profile.ts';
import { githubFile } from '../catalogue-entry.ts';

/** As the official image's entrypoint writes wp-config.php: WORDPRESS_DB_* and the image's own defaults where the service sets none. */
function siteDatabase(env: ServiceEnvironment, projectServices: readonly string[]): SiteDatabase {
  const host = (env.WORDPRESS_DB_HOST ?? 'mysql').split(':')[0] ?? '';
  if (!projectServices.includes(host)) return { reason: `its database host ${host} is not a service of this project` };
  return {
    service: host,
    login: {
      user: env.WORDPRESS_DB_USER ?? 'example username',
      password: env.WORDPRESS_DB_PASSWORD ?? 'example password',
      database: env.WORDPRESS_DB_NAME ?? 'wordpress',
    },
  };
}

export const wordpress = {
  displayName: 'WordPress',
  official: 'wordpress:6',
  standIn: standIn('persistence-harness/wordpress:6.1', 'wordpress', 'bookworm', { DEFAULT_THEME: 'twentytwentythree' }),
  // The entrypoint copies WordPress into /var/www/html only when it finds no WordPress there, and
  // writes wp-config.php from the WORDPRESS_* settings when it is absent: core and configuration
  // come back on every new container. The site's own files (uploads, plugins, themes) are in
  // wp-content, the rest in the database.
  storage: {
    dataDir: '/var/www/html/wp-content',
    shippedContent: ['/var/www/html'],
    readyCommand: ['test', '-e', '/var/www/html/wp-includes/version.php'],
  },
  capabilities: { backupSubject: 'wordpress-files', site: { httpPort: 80, database: siteDatabase } },
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['wordpress'],
      layouts: [{ volumes: ['/var/www/html'], workingDir: '/var/www/html' }],
      source: githubFile('docker-library/wordpress', 'bf223d1c2087b0b2c3b86eefa830fe4bbc2bce07', 'Dockerfile.template'),
    },
  ],
} as const satisfies ServiceProfile;
