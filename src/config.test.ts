import { describe, expect, test } from 'vitest';
import { chooseImages, chooseUpgrades, configFor, FULL_MEASUREMENT, loadConfig, parseFilesAtOnce, parseTrials } from './config.ts';
import { HarnessError, UsageError } from './errors.ts';

function oneLineOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof HarnessError) return error.oneLine();
    throw error;
  }
  throw new Error('expected an error');
}

describe('image selection', () => {
  test('official images by default', () => {
    const images = chooseImages('official', {});
    expect(images.postgres).toEqual({ target: 'postgres', reference: 'postgres:17', source: 'official' });
    expect(images.toolbox.reference).toBe('alpine:3.20');
    // No official image carries the benchmark tools: the one built here serves both sets.
    expect(images.bench).toEqual({ target: 'bench', reference: 'persistence-harness/bench:bookworm', source: 'local' });
  });

  test('local selects the stand-ins', () => {
    expect(chooseImages('local', {}).postgres.reference).toBe('persistence-harness/postgres:15');
  });

  test('PERSIST_IMAGE_<TARGET> overrides one target only', () => {
    const images = chooseImages('local', { PERSIST_IMAGE_POSTGRES: 'myreg/pg:15-custom' });
    expect(images.postgres).toEqual({ target: 'postgres', reference: 'myreg/pg:15-custom', source: 'override' });
    expect(images.toolbox.source).toBe('local');
  });
});

describe('upgrade pairs', () => {
  test('official pairs are the versions users move between', () => {
    const pairs = chooseUpgrades('official', {});
    expect(pairs.postgres).toEqual({ name: 'postgres', from: 'postgres:15', to: 'postgres:17', source: 'official' });
    expect(pairs['moved-data-path'].to).toBe('postgres:18');
  });

  test('local pairs go from Debian 12 stand-ins to Debian 13 ones', () => {
    const pairs = chooseUpgrades('local', {});
    expect(pairs.mysql).toMatchObject({ from: 'persistence-harness/mysql:10.11', to: 'persistence-harness/mysql:11.8' });
    expect(pairs.wordpress.to).toBe('persistence-harness/wordpress:6.8');
  });

  test('PERSIST_UPGRADE_<PAIR>=FROM,TO overrides one pair', () => {
    const pairs = chooseUpgrades('local', { PERSIST_UPGRADE_MOVED_DATA_PATH: 'postgres:17, postgres:18' });
    expect(pairs['moved-data-path']).toEqual({ name: 'moved-data-path', from: 'postgres:17', to: 'postgres:18', source: 'override' });
    expect(pairs.postgres.source).toBe('local');
  });

  test('an override that is not two images is one clear sentence', () => {
    expect(oneLineOf(() => chooseUpgrades('local', { PERSIST_UPGRADE_POSTGRES: 'postgres:17' }))).toBe(
      'Invalid PERSIST_UPGRADE_POSTGRES "postgres:17". Give the old and the new image separated by a comma, e.g. postgres:15,postgres:17.',
    );
  });
});

describe('settings from the environment', () => {
  test('defaults', () => {
    const config = loadConfig({});
    expect(config.imageSet).toBe('official');
    expect(config.trials).toBe(1);
    expect(config.runId).toBeUndefined();
    // A first run gives every verdict in minutes; the full benchmarks are asked for.
    expect(config.benchSize).toBe('quick');
    expect(loadConfig({ PERSIST_BENCH_SIZE: 'full' }).benchSize).toBe('full');
    expect(config.progress).toBe('plain');
    expect(loadConfig({ PERSIST_QUIET: '1' }).progress).toBe('quiet');
    // Two files at once for the verdicts; the full measurement times one at a time.
    expect(config.filesAtOnce).toBe(2);
    expect(FULL_MEASUREMENT.filesAtOnce).toBe(1);
    expect(loadConfig({ PERSIST_FILES_AT_ONCE: '1' }).filesAtOnce).toBe(1);
  });

  test('typed choices fill in the rest, and choose the images for their image set', () => {
    const config = configFor({ imageSet: 'local', trials: 1, filters: ['tmpfs'] }, {});
    expect(config).toMatchObject({ imageSet: 'local', trials: 1, filters: ['tmpfs'], benchSize: 'quick', edits: 5, runId: undefined });
    expect(config.images.postgres).toEqual({ target: 'postgres', reference: 'persistence-harness/postgres:15', source: 'local' });
    expect(configFor({}, { PERSIST_IMAGE_REDIS: 'redis:7.4' }).images.redis.source).toBe('override');
    expect(() => configFor({ runId: 'Bad Id' }, {})).toThrow(/Invalid run id/);
  });

  test('bad values are usage errors with a fix', () => {
    expect(() => loadConfig({ PERSIST_IMAGES: 'remote' })).toThrow(UsageError);
    expect(oneLineOf(() => parseTrials('0'))).toBe('Invalid number of trials "0". Use a whole number from 1 to 100.');
    expect(() => parseTrials('2.5')).toThrow(UsageError);
    expect(() => loadConfig({ PERSIST_RUN_ID: '../../etc' })).toThrow(/Invalid run id/);
    expect(oneLineOf(() => loadConfig({ PERSIST_BENCH_SIZE: 'huge' }))).toBe('Unknown benchmark size "huge". Use --size quick or --size full.');
    expect(oneLineOf(() => parseFilesAtOnce('0'))).toMatch(/^Invalid number of files at once "0". Use a whole number from 1 to 8/);
  });
});
