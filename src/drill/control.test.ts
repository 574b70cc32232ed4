import { describe, expect, test } from 'vitest';
import sample from '../report/fixtures/sample-report.json' with { type: 'json' };
import type { CellResult } from '../report/model.ts';
import { evidenceShows, negativeControl } from './control.ts';

const cell = (status: CellResult['status'], observed: CellResult['observed'], evidence: string[] = []): CellResult => ({
  ...(sample.results[0] as unknown as CellResult),
  status,
  observed,
  evidence,
});

describe('a negative control', () => {
  test('is caught only when its drill failed and showed the damage', () => {
    expect(negativeControl(cell('failed', 'lost'), { title: 't', sabotage: 's' }).caught).toBe(true);
    expect(negativeControl(cell('passed', 'lost'), { title: 't', sabotage: 's' }).caught).toBe(false);
    expect(negativeControl(cell('failed', 'survives'), { title: 't', sabotage: 's' }).caught).toBe(false);
    expect(negativeControl(cell('errored', 'lost'), { title: 't', sabotage: 's' }).caught).toBe(false);
    expect(negativeControl(cell('failed', 'survives'), { title: 't', sabotage: 's', observed: 'any' }).caught).toBe(true);
  });

  test('a named damage must be in the evidence', () => {
    const spec = { title: 't', sabotage: 's', caughtWhen: evidenceShows('table readings is absent') };
    expect(negativeControl(cell('failed', 'lost', ['table readings is absent (had 10 rows)']), spec).caught).toBe(true);
    expect(negativeControl(cell('failed', 'lost', ['table employees is absent']), spec).caught).toBe(false);
  });
});
