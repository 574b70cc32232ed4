import type { TestCase } from 'vitest/node';
import { describe, expect, test } from 'vitest';
import type { CellResult } from '../report/model.ts';
import { type Collected, collect } from './persist-reporter.ts';

/** A finished scenario test as vitest hands it to a reporter: its meta and its outcome. */
function finished(state: 'passed' | 'failed' | 'skipped', meta: Record<string, unknown> = {}, errors: string[] = []): TestCase {
  return {
    fullName: 'redis > SIGKILL under write load > Redis on named-volume',
    module: { moduleId: `${process.cwd()}/scenarios/redis.test.ts` },
    meta: () => meta,
    result: () => ({ state, errors: errors.map((message) => ({ message })) }),
    diagnostic: () => ({ duration: 1_234 }),
  } as unknown as TestCase;
}

const empty = (): Collected => ({ results: [], controls: [], performance: [], tests: [] });

describe('what each scenario test gives the report', () => {
  test('its result', () => {
    const collected = empty();
    const errors: string[] = [];
    collect(finished('passed', { persistResult: { id: 'redis/named-volume/kill' } as CellResult }), collected, errors);
    expect(collected.results.map((result) => result.id)).toEqual(['redis/named-volume/kill']);
    expect(errors).toEqual([]);
  });

  test('a test that passed without a result is a harness error, never a cell that silently is not there', () => {
    const errors: string[] = [];
    collect(finished('passed'), empty(), errors);
    expect(errors).toEqual([
      'redis > SIGKILL under write load > Redis on named-volume: it passed without handing a result to the report, so the report cannot show what it proved. This is a harness bug; please report it.',
    ]);
  });

  test('a test that failed before its result is the harness not running it; a skipped one is not in this run', () => {
    const errors: string[] = [];
    collect(finished('failed', {}, ['image missing']), empty(), errors);
    collect(finished('skipped'), empty(), errors);
    expect(errors).toEqual(['redis > SIGKILL under write load > Redis on named-volume: image missing']);
  });
});
