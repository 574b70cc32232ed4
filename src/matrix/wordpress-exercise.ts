// The seed's WordPress exercise, proven: install over HTTP, publish posts, upload a media file,
// add a plugin file; remove both containers and recreate them with the same volumes; then read
// everything back as a visitor would, and the post rows from the database. Run without one of
// the volumes, it shows what that volume protects.
import type { RunScope } from '../docker/run-scope.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { identify, runDrill, type ImagesDrillContext } from '../drill/drill.ts';
import { WordPressProbe } from '../services/wordpress/wordpress-probe.ts';
import { progress } from '../progress.ts';
import type { CellResult, Outcome } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import { judgeSite, SITE_TIMEOUT_MS, type Permalinks, type SiteItem } from '../services/wordpress/content.ts';
import { isInstallRedirect, waitForSite } from '../services/wordpress/site.ts';
import { DATABASE, siteUrl, startWordPressStack, WEB, type StackPlan } from '../services/wordpress/wordpress-stack.ts';
import { PhaseTimer } from '../timing/clock.ts';

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
