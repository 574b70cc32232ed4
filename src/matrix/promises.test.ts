import { describe, expect, test } from 'vitest';
import { STORAGE_PROMISES } from './promises.ts';

describe("what each storage type promises, read from the audit's table", () => {
  test('is what the seed tutorial teaches', () => {
    expect(STORAGE_PROMISES).toEqual({
      'named-volume': { restart: 'survives', recreate: 'survives' },
      'bind-mount': { restart: 'survives', recreate: 'survives' },
      'container-layer': { restart: 'survives', recreate: 'lost' },
      tmpfs: { restart: 'lost', recreate: 'lost' },
    });
  });
});
