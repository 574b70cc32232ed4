// WordPress: the official image's contract, as src/services/profile.ts describes a service. Its
// site is proven through its pages and its database (src/targets/wordpress/).
import { type ServiceProfile, standIn } from '../profile.ts';

export const wordpress = {
  displayName: 'WordPress',
  versionName: 'WordPress',
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
  capabilities: { backupSubject: 'wordpress-files' },
} as const satisfies ServiceProfile;
