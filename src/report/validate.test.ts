import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import { reportProblems } from './validate.ts';

describe('the report schema', () => {
  test('accepts a report the harness wrote', () => {
    expect(reportProblems(sample)).toEqual([]);
  });

  test('rejects a result without a status', () => {
    const broken = structuredClone(sample) as Record<string, unknown> & { results: Array<Record<string, unknown>> };
    delete broken.results[0]!.status;
    expect(reportProblems(broken)).toContain("/results/0 must have required property 'status'");
  });

  test('rejects an unknown storage type', () => {
    const broken = structuredClone(sample);
    (broken.results[1] as { storage: string }).storage = 'floppy-disk';
    expect(reportProblems(broken)).toContain(
      '/results/1/storage must be equal to one of the allowed values ("named-volume", "bind-mount", "tmpfs", "container-layer")',
    );
  });

  test('rejects another schema version and fields it does not know', () => {
    const broken = { ...structuredClone(sample), schemaVersion: 1, extra: true };
    const problems = reportProblems(broken);
    expect(problems).toContain('/schemaVersion must be equal to one of the allowed values (2, 3)');
    expect(problems).toContain('the report must NOT have additional properties (extra)');
  });
});
