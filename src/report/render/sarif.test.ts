import { describe, expect, test } from 'vitest';
import sample from '../fixtures/audit-report.json' with { type: 'json' };
import runSample from '../fixtures/sample-report.json' with { type: 'json' };
import type { AuditReport, RunReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderSarif } from './sarif.ts';

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }>;
    }>;
  }>;
}

const audited = sample as unknown as AuditReport;
const audit = audited.audit;

/** The sample with its first finding located in an overlay file. */
function located(): AuditReport {
  const [first, ...rest] = audit.findings;
  if (!first) throw new Error('the sample has findings');
  return { ...audited, audit: { ...audit, findings: [{ ...first, location: { file: '/repo/deploy/compose.persist.yaml', line: 12, column: 9 } }, ...rest] } };
}

describe('the audit as SARIF', () => {
  test('a located finding still matches the report schema', () => {
    expect(reportProblems(located())).toEqual([]);
  });

  test('one result per finding, at its line in its file; the others on the first Compose file', () => {
    const log = JSON.parse(renderSarif(located()) ?? '') as SarifLog;
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run?.tool.driver.name).toBe('persist');
    expect(run?.results).toHaveLength(audit.findings.length);
    const first = run?.results[0]?.locations[0]?.physicalLocation;
    expect(first).toMatchObject({ artifactLocation: { uri: 'file:///repo/deploy/compose.persist.yaml' }, region: { startLine: 12, startColumn: 9 } });
    const second = run?.results[1]?.locations[0]?.physicalLocation;
    expect(second?.artifactLocation.uri).toBe(`file://${audit.files[0]}`);
    expect(second?.region).toBeUndefined();
  });

  test('severities map to SARIF levels, and every rule used is declared', () => {
    const run = (JSON.parse(renderSarif(audited) ?? '') as SarifLog).runs[0];
    const levels = { error: 'error', warning: 'warning', info: 'note' } as const;
    expect(run?.results.map((result) => result.level)).toEqual(audit.findings.map((finding) => levels[finding.severity]));
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual([...new Set(audit.findings.map((finding) => finding.rule))].sort());
    for (const [index, result] of (run?.results ?? []).entries()) expect(result.message.text).toContain(audit.findings[index]?.message);
  });

  test('a report without an audit has no SARIF form', () => {
    expect(renderSarif(runSample as unknown as RunReport)).toBeUndefined();
  });
});
