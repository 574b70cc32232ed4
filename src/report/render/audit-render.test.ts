// An audit report (the pitfalls example as persist audit wrote it) in every format.
import { describe, expect, test } from 'vitest';
import sample from '../fixtures/audit-report.json' with { type: 'json' };
import { exitCodeFor, type AuditReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

const report = sample as AuditReport;
const clean = (): AuditReport => {
  const copy = structuredClone(report);
  copy.audit!.findings = copy.audit!.findings.filter((finding) => finding.severity !== 'error');
  return copy;
};

describe('an audit report', () => {
  test('matches the schema; its verdict is its error findings', () => {
    expect(reportProblems(report)).toEqual([]);
    expect(exitCodeFor(report)).toBe(1);
    expect(exitCodeFor(clean())).toBe(0);
  });

  test('Markdown: the verdict, a table per service, each finding with its fix', () => {
    const markdown = renderMarkdown(report);
    expect(markdown.split('\n')[0]).toBe('# Persistence audit: project pitfalls');
    expect(markdown).toContain('**❌ NOT PASSED**: 7 errors, 1 warning, 3 notes in 11 service(s).');
    expect(markdown).toMatch(
      /^\| \/var\/lib\/postgresql\/data \| PGDATA set by the image \| anonymous volume \(image's VOLUME\) at \/var\/lib\/postgresql\/data \| kept \| kept \| lost \| lost \| — \|$/m,
    );
    expect(markdown).toContain('**error** (nested-anonymous-volume)');
    expect(markdown).toContain('**Fix:** Mount the volume at /var/lib/postgresql/data itself, not at its parent /var/lib/postgresql.');
    expect(renderMarkdown(clean())).toContain('**✅ PASSED**');
  });

  test('HTML: one section per service, lost cells marked', () => {
    const html = renderHtml(report);
    expect(html).toContain('<title>Persistence audit: project pitfalls</title>');
    expect(html.match(/<section class="service">/g)).toHaveLength(11);
    expect(html).toContain('<td class="failed">lost</td>');
    expect(html).not.toContain('<script');
  });

  test('JUnit: a case per service, failed by its errors only', () => {
    const junit = renderJunit(report);
    expect(junit.match(/<testcase /g)).toHaveLength(11);
    expect(junit.match(/<failure /g)).toHaveLength(7);
    expect(renderJunit(clean()).match(/<failure /g)).toBeNull();
  });

  test('the prune columns are said for the engine the audit talked to: below API 1.42 a plain prune removes named volumes too', () => {
    const withPrune = (apiVersion: string | null): AuditReport => {
      const copy = structuredClone(report);
      copy.audit!.lifecycle = ['restart', 'up --force-recreate', 'down + up', 'down -v + up', 'down + volume prune', 'down + volume prune --all'];
      copy.audit!.prune = { apiVersion, plainRemovesNamed: apiVersion === null ? null : apiVersion === '1.41' };
      return copy;
    };
    expect(reportProblems(withPrune('1.41'))).toEqual([]);
    expect(renderMarkdown(withPrune('1.41'))).toContain(
      '> This engine speaks API 1.41: a plain `docker volume prune` (and `docker system prune --volumes`) removes every unused volume, named ones included',
    );
    expect(renderMarkdown(withPrune('1.43'))).toContain(
      'This engine speaks API 1.43: a plain `docker volume prune` (and `docker system prune --volumes`) removes only anonymous volumes; `--all` removes the named ones too.',
    );
    expect(renderHtml(withPrune(null))).toContain(
      'is judged as engines from API 1.42 (Engine 23) run it: only anonymous volumes. Below API 1.42 a plain prune removes every unused volume',
    );
    expect(renderMarkdown(report)).not.toContain('volume prune');
  });
});
