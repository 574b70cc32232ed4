import { describe, expect, test } from 'vitest';
import { checkExitCode } from '../report/check-exit-code.ts';
import { judgeCheckCell } from './check-verdict.ts';

describe('a cell', () => {
  test('passes when observed is what is required, and predicted', () => {
    expect(judgeCheckCell('kept', 'kept', 'kept')).toEqual({ status: 'passed', surprise: false });
  });
  test('fails when data the user needs is lost, as the audit predicted: a finding, no surprise', () => {
    expect(judgeCheckCell('kept', 'lost', 'lost')).toEqual({ status: 'failed', surprise: false });
  });
  test('a service that did not come back fails', () => {
    expect(judgeCheckCell('kept', 'kept', 'unavailable')).toEqual({ status: 'failed', surprise: false });
  });
  test('observed against predicted: a surprise either way', () => {
    expect(judgeCheckCell('kept', 'lost', 'kept')).toEqual({ status: 'passed', surprise: true });
    expect(judgeCheckCell('lost', 'lost', 'kept')).toEqual({ status: 'failed', surprise: true });
  });
  test('an ephemeral path is never a failure', () => {
    expect(judgeCheckCell(undefined, 'lost', 'lost')).toEqual({ status: 'passed', surprise: false });
  });
});

describe('the exit code', () => {
  test('1 for a failed verdict, else 2 for a surprise, else 0', () => {
    expect(checkExitCode([{ status: 'failed', surprise: true }])).toBe(1);
    expect(checkExitCode([{ status: 'passed', surprise: true }])).toBe(2);
    expect(checkExitCode([{ status: 'passed', surprise: false }])).toBe(0);
  });
});
