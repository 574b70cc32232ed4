// The WordPress upgrade drill: a site built with the old image (posts, media, a plugin file),
// then the web container replaced by the new image on the same files volume and database.
// The image's entrypoint copies WordPress only into an empty folder, so a swapped image still
// runs the core files the volume holds: the drill reports which core ran, then upgrades the
// core from the new image's files (wp-content kept) and the database through upgrade.php,
// and proves the same posts, media and plugin are served at each step.
import { execIn } from '../docker/exec.ts';
import type { ImageChoice, UpgradePair } from '../config.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, ItemOutcome, Outcome, UpgradeFacts } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { identify, placeId, type ResultPlace, runDrill } from '../drill/drill.ts';
import { judgeSite, SITE_TIMEOUT_MS, type SiteObservation } from '../services/wordpress/content.ts';
import { siteUrl, startWordPressStack, WEB, type StackPlan } from '../services/wordpress/wordpress-stack.ts';
import { WordPressProbe } from '../services/wordpress/wordpress-probe.ts';
import type { Stack } from '../stack/stack.ts';
import { generatorVersion, waitForSite } from '../services/wordpress/site.ts';
import { httpRequest } from '../web/http.ts';
import { PhaseTimer, withTimeout } from '../timing/clock.ts';

const SITE_DIR = '/var/www/html';
/** Where the official image (and the stand-in) keeps the WordPress it copies on first start. */
const IMAGE_SOURCE_DIR = '/usr/src/wordpress';

export interface WordPressUpgradeSpec {
  scenario: string;
  pair: UpgradePair;
  database: ImageChoice;
  /** Off for the negative control: the image swapped and nothing else, as many believe is enough. */
  coreUpgrade: boolean;
}

function wordpressUpgradePlace(spec: Pick<WordPressUpgradeSpec, 'pair' | 'coreUpgrade'>): ResultPlace {
  const variant = spec.coreUpgrade ? spec.pair.name : `${spec.pair.name}-image-swap-only`;
  return { target: 'wordpress', storage: 'named-volume', disruption: 'upgrade', variant };
}

export function wordpressUpgradeId(spec: Pick<WordPressUpgradeSpec, 'pair' | 'coreUpgrade'>): string {
  return placeId(wordpressUpgradePlace(spec));
}

export async function runWordPressUpgrade(spec: WordPressUpgradeSpec, context: { scope: RunScope; trials: number }): Promise<CellResult> {
  const identity = identify(wordpressUpgradePlace(spec), {
    scenario: spec.scenario,
    title: `WordPress: ${spec.pair.from} → ${spec.pair.to} on the same files volume and database${spec.coreUpgrade ? '' : ', image swapped only'}`,
    expected: 'survives',
  });
  return runDrill({ identity, image: spec.pair.to, runTrial: (trial, scope) => runTrial(spec, trial, scope) }, context);
}

/** What every step of one trial shares. */
interface Trial {
  spec: WordPressUpgradeSpec;
  scope: RunScope;
  plan: StackPlan;
  timer: PhaseTimer;
  evidence: string[];
  say: (step: string) => void;
}

/** The core versions a trial saw: in the volume before, in the new image, in the volume after each step. */
type Cores = Pick<NonNullable<UpgradeFacts['wordpress']>, 'coreBefore' | 'coreOfNewImage' | 'coreAfterImageSwap' | 'coreAfterUpgrade'>;

async function runTrial(spec: WordPressUpgradeSpec, trial: number, scope: RunScope): Promise<TrialRecord> {
  const id = wordpressUpgradeId(spec);
  const plan: StackPlan = {
    network: await scope.createNetwork('wordpress-upgrade-net'),
    mysqlImage: spec.database.reference,
    wordpressImage: spec.pair.from,
    dbVolume: await scope.createVolume('wordpress-upgrade-db'),
    filesVolume: await scope.createVolume('wordpress-upgrade-files'),
  };
  const t: Trial = { spec, scope, plan, timer: new PhaseTimer(), evidence: [], say: (step) => progress(`${id}: trial ${trial}: ${step}`) };
  t.evidence.push(
    `volumes: ${plan.filesVolume} → ${SITE_DIR}, ${plan.dbVolume} → /var/lib/mysql; the database image (${spec.database.reference}) stays the same`,
  );
  const stack = await startWordPressStack(plan, scope);
  const probe = new WordPressProbe(`${id}/${trial}`, trial, t.evidence, t.say);
  await probe.seed(stack);
  const { before } = probe.seeded;
  const coreBefore = await coreVersion(stack.containerId(WEB), SITE_DIR);
  const swap = await swapImage(t, stack, probe);
  const swapProblems = judgeSite(before, swap.observation, () => 'survives').comparison.differences;
  t.evidence.push(...swapProblems.map((difference) => `after the image swap: ${difference}`));
  const cores: Cores = {
    coreBefore,
    coreOfNewImage: swap.coreOfNewImage,
    coreAfterImageSwap: swap.coreAfterImageSwap,
    coreAfterUpgrade: swap.coreAfterImageSwap,
  };
  const upgrade = await upgradeCore(t, stack, probe, cores, swap.observation);
  const baseUrl = await siteUrl(stack);
  const { comparison, items } = judgeSite(before, upgrade.after, () => 'survives');
  t.evidence.push(...comparison.differences);
  const served = generatorVersion((await httpRequest(`${baseUrl}/`)).body);
  const observed = judgeWordPressUpgrade(items, cores);
  if (cores.coreAfterUpgrade === null || cores.coreAfterUpgrade !== cores.coreOfNewImage) {
    t.evidence.push(`the site does NOT run the new image's WordPress (${cores.coreOfNewImage ?? 'unknown'}): it runs ${cores.coreAfterUpgrade ?? 'unknown'}`);
  }
  t.say(`${items.map((i) => `${i.item}: ${i.observed}`).join(', ')}; core ${coreBefore} → ${cores.coreAfterUpgrade}`);
  return {
    outcome: { trial, observed, reinitialised: false, cleanShutdown: true, differences: comparison.differences },
    matches: observed === 'survives',
    items,
    details: upgradeFactsOf(spec.pair, cores, upgrade.database, served, swapProblems.length === 0),
    timing: { trial, phasesMs: t.timer.phasesMs, recoveryMs: recoveryOf(t.timer.phasesMs) },
    measurements: t.timer.measurements,
    before: before.fingerprint,
    after: upgrade.after.fingerprint,
    rowsLost: comparison.rowsLost,
    rowsUnexpected: comparison.rowsUnexpected,
    imageId: (await stack.inspect(WEB)).imageId,
    serverVersion: served ?? 'WordPress (version not announced)',
    evidence: t.evidence,
  };
}

/** Every item served as before, and the site on the new image's WordPress. */
export function judgeWordPressUpgrade(items: Array<Pick<ItemOutcome, 'observed'>>, cores: Pick<Cores, 'coreAfterUpgrade' | 'coreOfNewImage'>): Outcome {
  const upgradedToNew = cores.coreAfterUpgrade !== null && cores.coreAfterUpgrade === cores.coreOfNewImage;
  return items.every((i) => i.observed === 'survives') && upgradedToNew ? 'survives' : 'lost';
}

/** The new image on the same volumes: the web container is stopped, removed and created again. */
async function swapImage(t: Trial, stack: Stack, probe: WordPressProbe) {
  const { pair } = t.spec;
  t.say(`replacing ${pair.from} with ${pair.to}`);
  await t.timer.time('stop', async () => {
    await stack.stop(WEB);
    await stack.remove(WEB);
  });
  // As a user edits the image tag and runs `up` again: the plan is read when the container is made.
  t.plan.wordpressImage = pair.to;
  await t.timer.time('create', () => stack.up(WEB));
  await t.timer.time('ready', () => probe.ready(stack));
  const observation = await t.timer.time('verified', () => probe.observe(stack));
  const web = stack.containerId(WEB);
  const coreOfNewImage = await coreVersion(web, IMAGE_SOURCE_DIR);
  const coreAfterImageSwap = await coreVersion(web, SITE_DIR);
  const copiedOnlyIntoEmpty = coreAfterImageSwap !== coreOfNewImage ? ', but its entrypoint copies WordPress only into an empty folder' : '';
  t.evidence.push(
    `image swapped: the volume's core is ${coreAfterImageSwap ?? 'unknown'}; ${pair.to} ships ${coreOfNewImage ?? 'unknown'}${copiedOnlyIntoEmpty}`,
    `after the image swap: ${observation.httpSummary}`,
  );
  return { observation, coreOfNewImage, coreAfterImageSwap };
}

/** The core upgrade a user does next: the new image's files over the volume (wp-content kept), then upgrade.php. */
async function upgradeCore(t: Trial, stack: Stack, probe: WordPressProbe, cores: Cores, afterSwap: SiteObservation) {
  const { spec } = t;
  const notNeeded = spec.coreUpgrade ? 'not needed: the core did not change' : 'not run: the image was swapped, the core left as it was';
  if (!spec.coreUpgrade || cores.coreOfNewImage === null || cores.coreAfterImageSwap === cores.coreOfNewImage) {
    return { after: afterSwap, database: { updated: false, summary: notNeeded } satisfies DatabaseUpgrade };
  }
  t.say(`upgrading the core in the volume to ${cores.coreOfNewImage}, then the database`);
  const baseUrl = await t.timer.measure('core files copied from the new image, container restarted', async () => {
    await upgradeCoreFiles(stack.containerId(WEB));
    // PHP's opcode cache still holds the old core for a few seconds: start PHP afresh, as a
    // user restarts the container after replacing files.
    await stack.stop(WEB);
    await stack.start(WEB);
    const url = await siteUrl(stack);
    await waitForSite(url, SITE_TIMEOUT_MS);
    return url;
  });
  cores.coreAfterUpgrade = await coreVersion(stack.containerId(WEB), SITE_DIR);
  const database = await t.timer.measure('database upgrade (wp-admin/upgrade.php)', () => upgradeDatabase(baseUrl));
  const after = await probe.observe(stack);
  t.evidence.push(
    `core upgrade: ${IMAGE_SOURCE_DIR} of ${spec.pair.to} copied over ${SITE_DIR} except wp-content and .htaccess, the container restarted: core now ${cores.coreAfterUpgrade ?? 'unknown'}; database: ${database.summary}`,
    `after the core upgrade: ${after.httpSummary}`,
  );
  return { after, database };
}

function upgradeFactsOf(pair: UpgradePair, cores: Cores, database: DatabaseUpgrade, served: string | null, swapClean: boolean): UpgradeFacts {
  return {
    kind: 'upgrade',
    pair: pair.name,
    from: { reference: pair.from, version: cores.coreBefore === null ? null : `WordPress ${cores.coreBefore}` },
    to: { reference: pair.to, version: served },
    inPlace: swapClean ? 'upgraded' : 'data-differs',
    serverMessages: [],
    paths: { mounted: SITE_DIR, serverDataDir: SITE_DIR },
    upgradeStep: {
      tool: 'wp-admin/upgrade.php',
      needed: database.updated,
      ran: cores.coreAfterUpgrade !== cores.coreAfterImageSwap,
      summary: database.summary,
    },
    path: 'in-place',
    dumpRestore: null,
    wordpress: { ...cores, databaseUpgrade: database.summary },
  };
}

/** $wp_version from a WordPress tree in the container, or null when there is none. */
async function coreVersion(containerId: string, root: string): Promise<string | null> {
  const run = await execIn(containerId, ['cat', `${root}/wp-includes/version.php`]);
  return /\$wp_version\s*=\s*'([^']+)'/.exec(run.stdout.toString('utf8'))?.[1] ?? null;
}

/**
 * As the official image's entrypoint copies, with tar and as the files' owner. wp-content is
 * the user's, and so is an existing .htaccess (the entrypoint skips it too): it holds the
 * site's rewrite rules.
 */
async function upgradeCoreFiles(containerId: string): Promise<void> {
  const script = [
    `exclude="--exclude ./wp-content"`,
    `if [ -e ${SITE_DIR}/.htaccess ]; then exclude="$exclude --exclude ./.htaccess"; fi`,
    `tar --create --file - --directory ${IMAGE_SOURCE_DIR} $exclude . | tar --extract --file - --directory ${SITE_DIR}`,
  ].join('; ');
  const run = await withTimeout(execIn(containerId, ['sh', '-c', script]), 300_000, 'copying the core did not finish within 5 minutes');
  if (run.exitCode !== 0)
    throw new HarnessError(
      `Copying the new WordPress core into the volume failed (exit ${run.exitCode}): ${run.stderr.trim().split('\n').pop()}`,
      'Check the WordPress image has its files in /usr/src/wordpress.',
    );
}

interface DatabaseUpgrade {
  /** upgrade.php changed the database (it was at an older version). */
  updated: boolean;
  summary: string;
}

/** WordPress's own database upgrade, as the dashboard runs it; says what the page said. */
async function upgradeDatabase(baseUrl: string): Promise<DatabaseUpgrade> {
  const answer = await httpRequest(`${baseUrl}/wp-admin/upgrade.php?step=1`);
  const page = answer.body.toString('utf8');
  if (answer.status === 200 && /Update Complete|Upgrade Complete/i.test(page))
    return { updated: true, summary: 'updated by wp-admin/upgrade.php ("Update Complete")' };
  if (answer.status === 200 && /No Update Required/i.test(page)) return { updated: false, summary: 'wp-admin/upgrade.php: "No Update Required"' };
  throw new HarnessError(
    `WordPress's database upgrade answered HTTP ${answer.status} without completing.`,
    'Open wp-admin/upgrade.php on the site and read its message.',
  );
}
