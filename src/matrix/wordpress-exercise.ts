// The seed's WordPress exercise, proven: install over HTTP, publish posts, upload a media file,
// add a plugin file; remove both containers and recreate them with the same volumes; then read
// everything back as a visitor would, and the post rows from the database. Run without one of
// the volumes, it shows what that volume protects.
import { compareFingerprints, type Fingerprint, type FingerprintComparison, type TableFingerprint } from '../data/fingerprint.ts';
import { sha256 } from '../data/hash.ts';
import { deterministicPng } from '../data/png.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, ItemOutcome, Outcome } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import {
  addPlugin,
  databaseVersion,
  PLUGIN_PATH,
  readPostRows,
  siteUrl,
  startWordPressStack,
  DATABASE,
  WEB,
  type StackPlan,
} from '../targets/wordpress/stack.ts';
import { WordPressProbe } from '../probes/wordpress-probe.ts';
import type { Stack } from '../stack/stack.ts';
import {
  generatorVersion,
  install,
  isInstallRedirect,
  publishPost,
  uploadMedia,
  waitForSite,
  type PublishedPost,
  type UploadedMedia,
} from '../targets/wordpress/site.ts';
import { httpRequest } from '../web/http.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { PhaseTimer } from '../timing/clock.ts';
import { identify, runDrill, type ImagesDrillContext } from '../drill/drill.ts';

export const SITE_ITEMS = ['site installed', 'posts over HTTP', 'post rows in the database', 'media file', 'plugin file'] as const;
export type SiteItem = (typeof SITE_ITEMS)[number];

/**
 * WordPress turns on pretty permalinks at install time when its loopback request to itself
 * succeeds, which depends on the network it runs in. Their rewrite rules live in .htaccess,
 * among the site's files; an expectation may therefore depend on which kind the site uses.
 */
export type Permalinks = 'plain' | 'pretty';
export type ItemExpectation = Outcome | Record<Permalinks, Outcome>;

export interface WordPressVariant {
  name: string;
  title: string;
  dbVolume: boolean;
  filesVolume: boolean;
  /** What must survive the recreate, item by item. */
  expected: Record<SiteItem, ItemExpectation>;
}

function expectationFor(expectation: ItemExpectation, permalinks: Permalinks): Outcome {
  return typeof expectation === 'string' ? expectation : expectation[permalinks];
}

export type ExerciseContext = ImagesDrillContext<'mysql' | 'wordpress'>;

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
): Promise<BuiltSite> {
  const first = await waitForSite(baseUrl, SITE_TIMEOUT_MS);
  if (!isInstallRedirect(first))
    throw new HarnessError(`A new WordPress answered HTTP ${first.status} instead of sending to its installer.`, 'Check the WordPress image.');
  say('installing over HTTP, publishing posts, uploading media, adding a plugin file');
  await install(baseUrl);
  const posts: PublishedPost[] = [];
  for (const post of POSTS) posts.push(await publishPost(baseUrl, `${post.title} (${trial})`, post.body));
  const media = await uploadMedia(baseUrl, `harness-media-${trial}.png`, 'image/png', deterministicPng());
  const pluginToken = sha256(token).slice(0, 16);
  await addPlugin(stack, pluginToken);
  const content: SiteContent = { posts, media, pluginToken };
  const serverVersion = `${generatorVersion((await httpRequest(`${baseUrl}/`)).body) ?? 'WordPress (version not announced)'}; database ${await databaseVersion(stack)}`;
  evidence.push(`post ids: ${posts.map((p) => p.id).join(', ')}; media id ${media.id} at ${media.path} (${media.bytes} bytes)`);

  const before = await observeSite(stack, baseUrl, content);
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

export async function runWordPressExercise(scenario: string, variant: WordPressVariant, context: ExerciseContext): Promise<CellResult> {
  const id = `wordpress/named-volume/recreate/${variant.name}`;
  const everything = Object.values(variant.expected).every((e) => expectationFor(e, 'plain') === 'survives' && expectationFor(e, 'pretty') === 'survives');
  const expected: Outcome = everything ? 'survives' : 'lost';
  const identity = identify(
    { target: 'wordpress', storage: 'named-volume', disruption: 'recreate', variant: variant.name },
    { scenario, title: `WordPress ${variant.title}, both containers recreated`, expected },
  );
  return runDrill({ identity, image: context.images.wordpress.reference, runTrial: (trial, scope) => runTrial(id, variant, context, trial, scope) }, context);
}

async function runTrial(id: string, variant: WordPressVariant, context: ExerciseContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const say = (step: string) => progress(`${id}: trial ${trial}: ${step}`);
  const evidence: string[] = [];
  const timer = new PhaseTimer();
  const plan: StackPlan = {
    network: await scope.createNetwork('wordpress-net'),
    mysqlImage: context.images.mysql.reference,
    wordpressImage: context.images.wordpress.reference,
    dbVolume: variant.dbVolume ? await scope.createVolume('wordpress-db') : undefined,
    filesVolume: variant.filesVolume ? await scope.createVolume('wordpress-files') : undefined,
  };
  evidence.push(
    `volumes: wordpress-db ${plan.dbVolume ?? 'NONE (anonymous volume)'} → /var/lib/mysql; wordpress-files ${plan.filesVolume ?? 'NONE (anonymous volume)'} → /var/www/html`,
  );
  const stack = await startWordPressStack(plan, scope);
  const probe = new WordPressProbe(`${id}/${trial}`, trial, evidence, say);
  await probe.seed(stack);
  const { before, serverVersion } = probe.seeded;
  evidence.push(`permalinks: ${before.permalinks}${before.permalinks === 'pretty' ? ' (their rewrite rules are in /var/www/html/.htaccess)' : ''}`);

  // Disrupt: the seed's `docker stop` and `docker rm` of both containers; the volumes stay.
  say('stopping and removing both containers, then creating them again on the same volumes');
  await timer.time('stop', async () => {
    for (const service of [WEB, DATABASE]) {
      const stopped = await stack.stop(service);
      evidence.push(`stop ${service === WEB ? 'wordpress' : 'mysql'}: exit code ${stopped.exitCode}`);
      await stack.remove(service);
    }
  });
  await timer.time('create', async () => {
    await stack.up(DATABASE);
    await stack.up(WEB);
  });
  const baseUrl = await siteUrl(stack);
  const firstAnswer = await timer.time('ready', () => waitForSite(baseUrl, SITE_TIMEOUT_MS));
  const redirected = isInstallRedirect(firstAnswer);
  evidence.push(
    `first answer after the recreate: HTTP ${firstAnswer.status}${redirected ? ' (to the installer)' : ''}, on a new port: ${new URL(baseUrl).port}`,
  );
  const after = await timer.time('verified', () => probe.observe(stack));
  evidence.push(`after: ${after.httpSummary}; media sha256 ${after.fingerprint['media file']?.contentHash ?? 'none (not served)'}`);

  const { comparison, items } = judgeSite(before, after, (item) => expectationFor(variant.expected[item], before.permalinks));
  evidence.push(...comparison.differences);
  const matches = items.every((i) => i.observed === i.expected);
  const observed: Outcome = items.every((i) => i.observed === 'survives') ? 'survives' : 'lost';
  say(`${items.map((i) => `${i.item}: ${i.observed}`).join(', ')}${matches ? '' : ' (NOT as expected)'}`);
  return {
    outcome: { trial, observed, reinitialised: redirected, cleanShutdown: true, differences: comparison.differences },
    matches,
    items,
    timing: { trial, phasesMs: timer.phasesMs, recoveryMs: recoveryOf(timer.phasesMs) },
    before: before.fingerprint,
    after: after.fingerprint,
    rowsLost: comparison.rowsLost,
    rowsUnexpected: comparison.rowsUnexpected,
    imageId: (await stack.inspect(WEB)).imageId,
    serverVersion,
    evidence,
  };
}

/** Each item of the site before and after, against what had to happen to it. */
export function judgeSite(
  before: SiteObservation,
  after: SiteObservation,
  expected: (item: SiteItem) => Outcome,
): { comparison: FingerprintComparison; items: ItemOutcome[] } {
  const comparison = compareFingerprints(before.fingerprint, after.fingerprint, { subject: (item) => item, unit: 'found' });
  const items: ItemOutcome[] = SITE_ITEMS.map((item) => {
    const same = JSON.stringify(before.fingerprint[item]) === JSON.stringify(after.fingerprint[item]);
    return { item, expected: expected(item), observed: same ? 'survives' : 'lost' };
  });
  return { comparison, items };
}

export interface SiteObservation {
  fingerprint: Record<SiteItem, TableFingerprint>;
  httpSummary: string;
  permalinks: Permalinks;
}

/** What a visitor and the database show of the content, as a fingerprint per item. */
export async function observeSite(stack: Stack, baseUrl: string, content: SiteContent): Promise<SiteObservation> {
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

  const rows = await readPostRows(stack, [...content.posts.map((p) => p.id), content.media.id]);
  const matchingRows = (rows ?? [])
    .filter((r) => content.posts.some((p) => p.id === r.id && p.title === r.title) || (r.id === content.media.id && r.type === 'attachment'))
    .map((r) => `${r.id}:${r.title}:${r.type}`);

  const media = await httpRequest(`${baseUrl}${content.media.path}`);
  codes.push(`media → ${media.status}`);
  const plugin = await httpRequest(`${baseUrl}${PLUGIN_PATH}`);
  codes.push(`plugin → ${plugin.status}`);
  const pluginServed = plugin.status === 200 && plugin.body.toString('utf8').includes(`harness-marker:${content.pluginToken}`);

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
