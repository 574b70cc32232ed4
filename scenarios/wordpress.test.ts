// The seed's Exercise 1: WordPress with its MySQL, each on its own named volume, on a
// user-defined network. Install over HTTP, publish posts, upload a media file, add a plugin
// file; remove both containers and recreate them with the same volumes; everything must be
// served again. Without one of the volumes, the report shows exactly what that volume protects.
import { beforeAll, describe, test } from 'vitest';
import { runWordPressExercise, type WordPressVariant } from '../src/matrix/wordpress-exercise.ts';
import { assertVerdict, preflight, recordResult, scenarioKit } from '../src/scenario-kit.ts';

const VARIANTS: WordPressVariant[] = [
  {
    name: 'full-stack',
    title: 'with both volumes',
    dbVolume: true,
    filesVolume: true,
    expected: {
      'site installed': 'survives',
      'posts over HTTP': 'survives',
      'post rows in the database': 'survives',
      'media file': 'survives',
      'plugin file': 'survives',
    },
  },
  {
    // Posts live in the database; uploads and plugins live in the files. So does .htaccess,
    // with the rewrite rules of pretty permalinks, but the image ships WordPress's standard one
    // and copies it into the new, empty folder with WordPress: the posts' addresses still work.
    name: 'without-files-volume',
    title: 'without the wordpress-files volume',
    dbVolume: true,
    filesVolume: false,
    expected: {
      'site installed': 'survives',
      'posts over HTTP': 'survives',
      'post rows in the database': 'survives',
      'media file': 'lost',
      'plugin file': 'lost',
    },
  },
  {
    // A fresh database: the site is back at its installer, while the files are still there.
    name: 'without-db-volume',
    title: 'without the wordpress-db volume',
    dbVolume: false,
    filesVolume: true,
    expected: { 'site installed': 'lost', 'posts over HTTP': 'lost', 'post rows in the database': 'lost', 'media file': 'survives', 'plugin file': 'survives' },
  },
];

beforeAll(() => preflight(['mysql', 'wordpress']));

describe('WordPress and MySQL, both containers recreated', () => {
  test.for(VARIANTS)('$title', async (variant, { task }) => {
    const { config, scope } = scenarioKit();
    const context = { scope, trials: config.trials, images: { mysql: config.images.mysql, wordpress: config.images.wordpress } };
    const result = await runWordPressExercise('wordpress', variant, context);
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});
