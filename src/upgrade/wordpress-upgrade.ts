// The WordPress upgrade drill: a site built with the old image (posts, media, a plugin file),
// then the web container replaced by the new image on the same files volume and database.
// The image's entrypoint copies WordPress only into an empty folder, so a swapped image still
// runs the core files the volume holds: the drill reports which core ran, then upgrades the
// core from the new image's files (wp-content kept) and the database through upgrade.php,
// and proves the same posts, media and plugin are served at each step.
import { execa } from 'execa';
import type { ImageChoice, UpgradePair } from '../config.ts';
import { inspectContainer, removeContainer, startExisting, stopGracefully } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, Outcome, Phase, UpgradeFacts } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import { assembleResult, runTrials, type TrialRecord } from '../matrix/assemble.ts';
import { buildSite, judgeSite, observeSite, SITE_TIMEOUT_MS, type SiteObservation } from '../matrix/wordpress-exercise.ts';
import { siteUrl, startDatabase, startWordPress, type RunningStack, type StackPlan } from '../targets/wordpress/stack.ts';
import { generatorVersion, waitForSite } from '../targets/wordpress/site.ts';
import { httpRequest } from '../web/http.ts';
import { stopwatch } from '../timing/clock.ts';

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

export function wordpressUpgradeId(spec: Pick<WordPressUpgradeSpec, 'pair' | 'coreUpgrade'>): string {
  return `wordpress/named-volume/upgrade/${spec.pair.name}${spec.coreUpgrade ? '' : '-image-swap-only'}`;
}

export async function runWordPressUpgrade(spec: WordPressUpgradeSpec, context: { scope: RunScope; trials: number }): Promise<CellResult> {
  const id = wordpressUpgradeId(spec);
  const { records, error } = await runTrials(id, context.trials, context.scope, (trial, scope) => runTrial(spec, trial, scope));
  const identity = {
    id,
    scenario: spec.scenario,
    title: `WordPress: ${spec.pair.from} → ${spec.pair.to} on the same files volume and database${spec.coreUpgrade ? '' : ', image swapped only'}`,
    target: 'wordpress',
    storage: 'named-volume' as const,
    disruption: 'upgrade' as const,
    variant: spec.coreUpgrade ? spec.pair.name : `${spec.pair.name}-image-swap-only`,
    expected: 'survives' as const,
  };
  return assembleResult(identity, spec.pair.to, records, error);
}

async function runTrial(spec: WordPressUpgradeSpec, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { pair } = spec;
  const id = wordpressUpgradeId(spec);
  const say = (step: string) => progress(`${id}: trial ${trial}: ${step}`);
  const evidence: string[] = [];
  const phasesMs: Partial<Record<Phase, number>> = {};
  const measurementsMs: Record<string, number[]> = {};
  const plan: StackPlan = {
    network: await scope.createNetwork('wordpress-upgrade-net'),
    mysqlImage: spec.database.reference,
    wordpressImage: pair.from,
    dbVolume: await scope.createVolume('wordpress-upgrade-db'),
    filesVolume: await scope.createVolume('wordpress-upgrade-files'),
  };
  evidence.push(
    `volumes: ${plan.filesVolume} → ${SITE_DIR}, ${plan.dbVolume} → /var/lib/mysql; the database image (${spec.database.reference}) stays the same`,
  );

  let stack: RunningStack = { db: await startDatabase(plan, scope), web: await startWordPress(plan, scope) };
  let baseUrl = await siteUrl(stack);
  const { content, before } = await buildSite(stack, baseUrl, `${id}/${trial}`, trial, evidence, say);
  const coreBefore = await coreVersion(stack.web.getId(), SITE_DIR);

  // The new image on the same volumes: the web container is stopped, removed and created again.
  say(`replacing ${pair.from} with ${pair.to}`);
  let clock = stopwatch();
  await stopGracefully(stack.web.getId());
  await removeContainer(stack.web.getId());
  phasesMs.stop = clock.ms();
  clock = stopwatch();
  stack = { db: stack.db, web: await startWordPress({ ...plan, wordpressImage: pair.to }, scope) };
  phasesMs.create = clock.ms();
  baseUrl = await siteUrl(stack);
  clock = stopwatch();
  await waitForSite(baseUrl, SITE_TIMEOUT_MS);
  phasesMs.ready = clock.ms();
  clock = stopwatch();
  const afterSwap = await observeSite(stack, baseUrl, content);
  phasesMs.verified = clock.ms();
  const coreOfNewImage = await coreVersion(stack.web.getId(), IMAGE_SOURCE_DIR);
  const coreAfterImageSwap = await coreVersion(stack.web.getId(), SITE_DIR);
  evidence.push(
    `image swapped: the volume's core is ${coreAfterImageSwap ?? 'unknown'} (it was ${coreBefore ?? 'unknown'}); ${pair.to} ships ${coreOfNewImage ?? 'unknown'}${coreAfterImageSwap !== coreOfNewImage ? ', but its entrypoint copies WordPress only into an empty folder' : ''}`,
    `after the image swap: ${afterSwap.httpSummary}`,
  );
  const swapProblems = judgeSite(before, afterSwap, () => 'survives').comparison.differences;
  evidence.push(...swapProblems.map((difference) => `after the image swap: ${difference}`));

  // The core upgrade a user does next: the new image's files over the volume, wp-content kept.
  let after: SiteObservation = afterSwap;
  let coreAfterUpgrade = coreAfterImageSwap;
  let database: DatabaseUpgrade = {
    updated: false,
    summary: spec.coreUpgrade ? 'not needed: the core did not change' : 'not run: the image was swapped, the core left as it was',
  };
  if (spec.coreUpgrade && coreOfNewImage !== null && coreAfterImageSwap !== coreOfNewImage) {
    say(`upgrading the core in the volume to ${coreOfNewImage}, then the database`);
    clock = stopwatch();
    await upgradeCoreFiles(stack.web.getId());
    // PHP's opcode cache still holds the old core for a few seconds: start PHP afresh, as a
    // user restarts the container after replacing files.
    await stopGracefully(stack.web.getId());
    await startExisting(stack.web.getId());
    baseUrl = await siteUrl(stack);
    await waitForSite(baseUrl, SITE_TIMEOUT_MS);
    measurementsMs['core files copied from the new image, container restarted'] = [clock.ms()];
    coreAfterUpgrade = await coreVersion(stack.web.getId(), SITE_DIR);
    clock = stopwatch();
    database = await upgradeDatabase(baseUrl);
    measurementsMs['database upgrade (wp-admin/upgrade.php)'] = [clock.ms()];
    after = await observeSite(stack, baseUrl, content);
    evidence.push(
      `core upgrade: ${IMAGE_SOURCE_DIR} of ${pair.to} copied over ${SITE_DIR} except wp-content and .htaccess, the container restarted: core now ${coreAfterUpgrade ?? 'unknown'}; database: ${database.summary}`,
      `after the core upgrade: ${after.httpSummary}`,
    );
  }

  const { comparison, items } = judgeSite(before, after, () => 'survives');
  evidence.push(...comparison.differences);
  const served = generatorVersion((await httpRequest(`${baseUrl}/`)).body);
  const upgradedToNew = coreAfterUpgrade !== null && coreAfterUpgrade === coreOfNewImage;
  if (!upgradedToNew)
    evidence.push(`the site does NOT run the new image's WordPress (${coreOfNewImage ?? 'unknown'}): it runs ${coreAfterUpgrade ?? 'unknown'}`);
  const observed: Outcome = items.every((i) => i.observed === 'survives') && upgradedToNew ? 'survives' : 'lost';
  const wordpress: NonNullable<UpgradeFacts['wordpress']> = {
    coreBefore,
    coreOfNewImage,
    coreAfterImageSwap,
    coreAfterUpgrade,
    databaseUpgrade: database.summary,
  };
  const facts: UpgradeFacts = {
    pair: pair.name,
    from: { reference: pair.from, version: coreBefore === null ? null : `WordPress ${coreBefore}` },
    to: { reference: pair.to, version: served },
    inPlace: swapProblems.length === 0 ? 'upgraded' : 'data-differs',
    serverMessages: [],
    paths: { mounted: SITE_DIR, serverDataDir: SITE_DIR },
    upgradeStep: { tool: 'wp-admin/upgrade.php', needed: database.updated, ran: coreAfterUpgrade !== coreAfterImageSwap, summary: database.summary },
    path: 'in-place',
    dumpRestore: null,
    wordpress,
  };
  say(`${items.map((i) => `${i.item}: ${i.observed}`).join(', ')}; core ${coreBefore} → ${coreAfterUpgrade}`);
  return {
    outcome: { trial, observed, reinitialised: false, cleanShutdown: true, differences: comparison.differences },
    matches: observed === 'survives',
    items,
    upgrade: facts,
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    measurementsMs,
    before: before.fingerprint,
    after: after.fingerprint,
    rowsLost: comparison.rowsLost,
    rowsUnexpected: comparison.rowsUnexpected,
    imageId: (await inspectContainer(stack.web.getId())).imageId,
    serverVersion: served ?? 'WordPress (version not announced)',
    evidence,
  };
}

/** $wp_version from a WordPress tree in the container, or null when there is none. */
async function coreVersion(containerId: string, root: string): Promise<string | null> {
  const run = await execa('docker', ['exec', containerId, 'cat', `${root}/wp-includes/version.php`], { reject: false });
  return /\$wp_version\s*=\s*'([^']+)'/.exec(run.stdout)?.[1] ?? null;
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
  const run = await execa('docker', ['exec', containerId, 'sh', '-c', script], { reject: false, timeout: 300_000 });
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
