import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import { exitCodeFor, summarise, type RunReport } from './model.ts';

const report = sample as RunReport;

function variant(change: (r: RunReport) => void): RunReport {
  const copy = structuredClone(report);
  change(copy);
  copy.summary = summarise(copy.results, copy.controls);
  return copy;
}

describe('verdicts and exit codes', () => {
  test('the stored sample passed: 8 cells and a caught control', () => {
    expect(report.summary).toEqual({ total: 8, passed: 8, failed: 0, errored: 0, controls: 1, controlsCaught: 1 });
    expect(exitCodeFor(report)).toBe(0);
  });

  test('a failed verdict is exit 1', () => {
    const failed = variant((r) => {
      r.results[0]!.status = 'failed';
      r.results[0]!.observed = 'lost';
    });
    expect(failed.summary.failed).toBe(1);
    expect(exitCodeFor(failed)).toBe(1);
  });

  test('an errored cell is exit 2, even beside a failed one', () => {
    const errored = variant((r) => {
      r.results[0]!.status = 'failed';
      r.results[1]!.status = 'errored';
    });
    expect(exitCodeFor(errored)).toBe(2);
  });

  test('a control that was not caught means the checks cannot be trusted: exit 2', () => {
    expect(exitCodeFor(variant((r) => void (r.controls[0]!.caught = false)))).toBe(2);
  });

  test('a run with no results did not run: exit 2', () => {
    expect(exitCodeFor(variant((r) => void (r.results = [])))).toBe(2);
  });

  test('a harness error outside any result is exit 2', () => {
    expect(exitCodeFor(variant((r) => void r.harnessErrors.push('scenario file failed to load')))).toBe(2);
  });
});
