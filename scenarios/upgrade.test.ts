// "Will our volume come back on the new version?" Data written with the old image, the new
// image started on the same volume: what the server did (upgraded, refused, started empty), and
// the path that brings the data onto the new version, proven by fingerprint.
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureImage } from '../src/docker/engine.ts';
import { negativeControl } from '../src/drill/control.ts';
import { type CellResult, upgradeFacts } from '../src/report/model.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';
import { mysql } from '../src/services/mysql/driver.ts';
import { postgres } from '../src/services/postgres/driver.ts';
import { runDatabaseUpgrade } from '../src/upgrade/database-upgrade.ts';
import { runWordPressUpgrade } from '../src/upgrade/wordpress-upgrade.ts';

const SCENARIO = 'upgrade';

beforeAll(async () => {
  await preflight(['mysql']);
  const { config } = scenarioKit();
  for (const pair of Object.values(config.upgrades)) {
    for (const reference of [pair.from, pair.to]) await ensureImage(reference, pair.source === 'local');
  }
});

describe('database major upgrades on the same volume', () => {
  test('PostgreSQL: in place refused by the server, dump and restore proven', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const result = await runDatabaseUpgrade(
      { scenario: SCENARIO, target: postgres, pair: config.upgrades.postgres, dumpRestoreFallback: true },
      { scope, trials: config.trials },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
    // A new major version never runs on an older major's data directory.
    expect(upgradeFacts(result)?.inPlace).toBe('refused');
    expect(upgradeFacts(result)?.serverMessages.join(' ')).toMatch(/incompatible|not compatible/);
    expect(upgradeFacts(result)?.path).toBe('dump-restore');
  });

  test('MySQL: the new server on the old data, upgrade step where the server needs one', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const result = await runDatabaseUpgrade(
      { scenario: SCENARIO, target: mysql, pair: config.upgrades.mysql, dumpRestoreFallback: true },
      { scope, trials: config.trials },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative control: a newer image that keeps its data elsewhere starts empty', () => {
  test('PostgreSQL with a moved data path', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const pair = config.upgrades['moved-data-path'];
    const cell = await runDatabaseUpgrade({ scenario: SCENARIO, target: postgres, pair, dumpRestoreFallback: false }, { scope, trials: config.trials });
    // Starting empty beside the old data, or refusing it: either way the data is not on the new version.
    const title = `PostgreSQL: ${pair.from} → ${pair.to}, the volume still mounted at /var/lib/postgresql/data`;
    const sabotage = 'the new image keeps its data in another directory than the one the old volume is mounted at (as postgres 18 moved PGDATA)';
    proveControl(task.meta, negativeControl(cell, { title, sabotage }));
    if (upgradeFacts(cell)?.inPlace === 'reinitialised')
      expect(cell.evidence.join('\n')).toContain('data lost: the new container initialised a fresh data directory');
  });
});

describe('WordPress upgrade on the same files volume and database', () => {
  test('WordPress: the same posts, media and plugin on the new version', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const result = await runWordPressUpgrade(
      { scenario: SCENARIO, pair: config.upgrades.wordpress, database: config.images.mysql, coreUpgrade: true },
      { scope, trials: config.trials },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });

  test('negative control: the image swapped, the core in the volume left as it was', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const pair = config.upgrades.wordpress;
    const cell = await runWordPressUpgrade({ scenario: SCENARIO, pair, database: config.images.mysql, coreUpgrade: false }, { scope, trials: config.trials });
    // The posts survive; what must be reported is that the site still runs the old WordPress.
    const caughtWhen = (c: CellResult) =>
      upgradeFacts(c)?.wordpress !== undefined && upgradeFacts(c)?.wordpress?.coreAfterUpgrade !== upgradeFacts(c)?.wordpress?.coreOfNewImage;
    const sabotage = "the image was swapped and nothing else: the entrypoint leaves an existing site's core files alone";
    proveControl(task.meta, negativeControl(cell, { title: `WordPress: only the image tag changed (${pair.from} → ${pair.to})`, sabotage, caughtWhen }));
  });
});
