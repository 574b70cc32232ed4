// The seed's WordPress site as data: what is written into it (three posts, a PNG uploaded
// through XML-RPC, a plugin file in wp-content) and how each item is read back, as a visitor
// reads it and from the database. The WordPress probe and the exercise's verdict rest on it.
import type { SiteServices } from '../sites.ts';
import { compareFingerprints, type Fingerprint, type FingerprintComparison, type TableFingerprint, type Wording } from '../../data/fingerprint.ts';
import type { ItemOutcome, Outcome } from '../../report/model.ts';
import { sha256 } from '../../data/hash.ts';
import { deterministicPng } from '../../data/png.ts';
import { HarnessError } from '../../errors.ts';
import type { Stack } from '../../stack/stack.ts';
import { httpRequest } from '../../web/http.ts';
import {
  generatorVersion,
  install,
  isInstallRedirect,
  publishPost,
  uploadMedia,
  waitForServedText,
  waitForSite,
  type PublishedPost,
  type UploadedMedia,
} from './site.ts';
import { addPlugin, databaseVersion, HARNESS_SITE, PLUGIN_PATH, pluginMarker, readPostRows } from './wordpress-stack.ts';

export const SITE_ITEMS = ['site installed', 'posts over HTTP', 'post rows in the database', 'media file', 'plugin file'] as const;
export type SiteItem = (typeof SITE_ITEMS)[number];
/** How differences between two observations of a site are worded: by item. */
export const SITE_ITEMS_WORDING: Wording = { subject: (item) => item, unit: 'found' };

/**
 * WordPress turns on pretty permalinks at install time when its loopback request to itself
 * succeeds, which depends on the network it runs in. Their rewrite rules live in .htaccess,
 * among the site's files; an expectation may therefore depend on which kind the site uses.
 */
export type Permalinks = 'plain' | 'pretty';
export const SITE_TIMEOUT_MS = 180_000;
const POSTS = [
  { title: 'Volumes are bank vaults', body: 'Named volumes keep a database through any container.' },
  { title: 'Bind mounts are shared folders', body: 'The host and the container see the same files.' },
  { title: 'tmpfs is a sticky note', body: 'Memory only: gone when the container stops.' },
];

export interface SiteContent {
  posts: PublishedPost[];
  media: UploadedMedia;
  pluginToken: string;
}

export interface BuiltSite {
  content: SiteContent;
  /** WordPress's announced version and the database's. */
  serverVersion: string;
  before: SiteObservation;
}

/** Sets up a new site the way a user does, over HTTP, and observes it; throws unless all is there. */
export async function buildSite(
  stack: Stack,
  baseUrl: string,
  token: string,
  trial: number,
  evidence: string[],
  say: (step: string) => void,
  site: SiteServices = HARNESS_SITE,
): Promise<BuiltSite> {
  const first = await waitForSite(baseUrl, SITE_TIMEOUT_MS);
  if (!isInstallRedirect(first))
    throw new HarnessError(`A new WordPress answered HTTP ${first.status} instead of sending to its installer.`, 'Check the WordPress image.');
  say('installing over HTTP, publishing posts, uploading media, adding a plugin file');
  await install(baseUrl);
  return addContent(stack, baseUrl, token, trial, evidence, site);
}

/**
 * Publishes this trial's posts, uploads its PNG and places its plugin file on a site already
 * installed (by buildSite), and observes them; throws unless all is there.
 */
export async function addContent(
  stack: Stack,
  baseUrl: string,
  token: string,
  trial: number,
  evidence: string[],
  site: SiteServices = HARNESS_SITE,
): Promise<BuiltSite> {
  const posts: PublishedPost[] = [];
  for (const post of POSTS) posts.push(await publishPost(baseUrl, `${post.title} (${trial})`, post.body));
  const media = await uploadMedia(baseUrl, `harness-media-${trial}.png`, 'image/png', deterministicPng());
  const pluginToken = sha256(token).slice(0, 16);
  await addPlugin(stack, pluginToken, site);
  // A plugin file rewritten on a site that served the last one moments ago (the check's next round) reaches visitors only once PHP revalidates it.
  await waitForServedText(`${baseUrl}${PLUGIN_PATH}`, pluginMarker(pluginToken));
  const content: SiteContent = { posts, media, pluginToken };
  const serverVersion = `${generatorVersion((await httpRequest(`${baseUrl}/`)).body) ?? 'WordPress (version not announced)'}; database ${await databaseVersion(stack, site)}`;
  evidence.push(`post ids: ${posts.map((p) => p.id).join(', ')}; media id ${media.id} at ${media.path} (${media.bytes} bytes)`);

  const before = await observeSite(stack, baseUrl, content, site);
  const missing = SITE_ITEMS.filter((item) => !before.fingerprint[item]?.present);
  if (missing.length > 0) {
    throw new HarnessError(
      `The site was not set up completely: ${missing.join(', ')} not found before the disruption (${before.httpSummary}).`,
      'Check the WordPress and database logs.',
    );
  }
  evidence.push(`before: ${before.httpSummary}; media sha256 ${before.fingerprint['media file']?.contentHash}`);
  return { content, serverVersion, before };
}

export interface SiteObservation {
  fingerprint: Record<SiteItem, TableFingerprint>;
  httpSummary: string;
  permalinks: Permalinks;
}

/** What a visitor and the database show of the content, as a fingerprint per item. */
export async function observeSite(stack: Stack, baseUrl: string, content: SiteContent, site: SiteServices = HARNESS_SITE): Promise<SiteObservation> {
  const home = await httpRequest(`${baseUrl}/`);
  const codes: string[] = [`/ → ${home.status}`];

  const servedPosts: string[] = [];
  let permalinks: Permalinks = 'plain';
  for (const post of content.posts) {
    // Where pretty permalinks are on, ?p=ID redirects to the post's address: follow it.
    const page = await httpRequest(`${baseUrl}/?p=${post.id}`, { redirect: 'follow' });
    const via = new URL(page.finalUrl).pathname + new URL(page.finalUrl).search;
    codes.push(`?p=${post.id} → ${page.status}${via === `/?p=${post.id}` ? '' : ` via ${via}`}`);
    if (via !== `/?p=${post.id}` && !via.includes('/wp-admin/')) permalinks = 'pretty';
    const html = page.body.toString('utf8');
    if (page.status === 200 && html.includes(post.title) && html.includes(post.body)) servedPosts.push(`${post.id}:${post.title}`);
  }

  const rows = await readPostRows(stack, [...content.posts.map((p) => p.id), content.media.id], site);
  const matchingRows = (rows ?? [])
    .filter((r) => content.posts.some((p) => p.id === r.id && p.title === r.title) || (r.id === content.media.id && r.type === 'attachment'))
    .map((r) => `${r.id}:${r.title}:${r.type}`);

  const media = await httpRequest(`${baseUrl}${content.media.path}`);
  codes.push(`media → ${media.status}`);
  const plugin = await httpRequest(`${baseUrl}${PLUGIN_PATH}`);
  codes.push(`plugin → ${plugin.status}`);
  const pluginServed = plugin.status === 200 && plugin.body.toString('utf8').includes(pluginMarker(content.pluginToken));

  const item = (present: boolean, rowCount: number, hash: string): TableFingerprint =>
    present ? { present, rows: rowCount, contentHash: hash } : { present: false, rows: 0, contentHash: null };
  const fingerprint: Fingerprint & Record<SiteItem, TableFingerprint> = {
    'site installed': item(home.status === 200, 1, 'installed'),
    'posts over HTTP': item(servedPosts.length > 0, servedPosts.length, sha256(servedPosts.join('\n'))),
    'post rows in the database': item(matchingRows.length > 0, matchingRows.length, sha256(matchingRows.join('\n'))),
    'media file': item(media.status === 200, 1, sha256(media.body)),
    'plugin file': item(pluginServed, 1, sha256(plugin.body)),
  };
  return { fingerprint, httpSummary: `HTTP ${codes.join(', ')}`, permalinks };
}

/** Each item of the site before and after, against what had to happen to it. */
export function judgeSite(
  before: SiteObservation,
  after: SiteObservation,
  expected: (item: SiteItem) => Outcome,
): { comparison: FingerprintComparison; items: ItemOutcome[] } {
  const comparison = compareFingerprints(before.fingerprint, after.fingerprint, SITE_ITEMS_WORDING);
  const items: ItemOutcome[] = SITE_ITEMS.map((item) => {
    const same = JSON.stringify(before.fingerprint[item]) === JSON.stringify(after.fingerprint[item]);
    return { item, expected: expected(item), observed: same ? 'survives' : 'lost' };
  });
  return { comparison, items };
}
