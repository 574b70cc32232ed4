import { describe, expect, test } from 'vitest';
import { chooseImages, loadConfig, parseTrials } from './config.ts';
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

describe('settings from the environment', () => {
  test('defaults', () => {
    const config = loadConfig({});
    expect(config.imageSet).toBe('official');
    expect(config.trials).toBe(3);
    expect(config.runId).toBeUndefined();
  });

  test('bad values are usage errors with a fix', () => {
    expect(() => loadConfig({ PERSIST_IMAGES: 'remote' })).toThrow(UsageError);
    expect(oneLineOf(() => parseTrials('0'))).toBe('Invalid number of trials "0". Use a whole number from 1 to 100.');
    expect(() => parseTrials('2.5')).toThrow(UsageError);
    expect(() => loadConfig({ PERSIST_RUN_ID: '../../etc' })).toThrow(/Invalid run id/);
  });
});
