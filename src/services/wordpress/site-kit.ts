// WordPress's site as `persist check` proves it in a user's project: posts, media and a plugin
// added to the site the user installed, read back as a visitor and from its database.
import { randomUUID } from 'node:crypto';
import type { SiteKit } from '../sites.ts';
import { SITE_ITEMS, SITE_ITEMS_WORDING } from './content.ts';
import { WordPressProbe } from './wordpress-probe.ts';

export const siteKit: SiteKit = {
  items: SITE_ITEMS,
  wording: SITE_ITEMS_WORDING,
  content: 'the WordPress content',
  probe: (site, round) => new WordPressProbe(randomUUID(), round, [], () => undefined, { site, addToInstalledSite: true }),
};
