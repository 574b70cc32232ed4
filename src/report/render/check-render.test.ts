// A check report (the pitfalls example as persist check wrote it, in schema version 5, read as
// the current version) in every format.
import { describe, expect, test } from 'vitest';
import sample from '../fixtures/check-report.json' with { type: 'json' };
import { exitCodeFor, type CheckReport } from '../model.ts';
import { readableReport, reportProblems } from '../validate.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

const read = readableReport(sample);
const report = read.report as CheckReport;

describe('a check report', () => {
  test('a version 5 report reads as the current version; lost data fails it, a surprise alone is exit 2', () => {
    expect(read.problems).toEqual([]);
    expect(reportProblems(report)).toEqual([]);
    expect(report.check?.cells.every((cell) => cell.probe === 'file')).toBe(true);
    expect(exitCodeFor(report)).toBe(1);
    const surprised = structuredClone(report);
    surprised.check!.cells = surprised.check!.cells.map((cell) => ({ ...cell, status: 'passed' as const }));
    surprised.check!.cells[0]!.surprise = true;
    expect(exitCodeFor(surprised)).toBe(2);
    surprised.check!.cells[0]!.surprise = false;
    expect(exitCodeFor(surprised)).toBe(0);
  });

  test('Markdown: the verdict, a table per service, each failed cell with its evidence, then the audit', () => {
    const markdown = renderMarkdown(report);
    expect(markdown.split('\n')[0]).toBe('# Persistence check: project pitfalls');
    expect(markdown).toContain('23 cell(s) passed, 13 failed, 0 not as the audit predicted');
    expect(markdown).toMatch(/^\| \/data \| LOST \(needed kept\) \| LOST \(needed kept\) \| LOST \(needed kept\) \| lost \|$/m);
    expect(markdown).toContain('## Persistence audit: project pitfalls');
  });

  test('HTML and JUnit: a failed cell is marked; a case per cell, failed by lost data', () => {
    expect(renderHtml(report)).toContain('<td class="failed">LOST (needed kept)</td>');
    const junit = renderJunit(report);
    expect(junit.match(/<testcase /g)).toHaveLength(36);
    expect(junit.match(/<failure /g)).toHaveLength(13);
  });

  test('a check that owed a cell it did not produce cannot pass: exit 2, the missing cell named in every format', () => {
    const incomplete = structuredClone(report);
    incomplete.check!.cells = incomplete.check!.cells.map((cell) => ({ ...cell, status: 'passed' as const }));
    const missing = 'The check owed 37 cells and produced 36: missing blog /var/www/html (site) after `kill`. This is a harness bug; please report it.';
    incomplete.harnessErrors.push(missing);
    expect(exitCodeFor(incomplete)).toBe(2);
    expect(renderMarkdown(incomplete)).toContain(`harness error: ${missing}`);
    expect(renderHtml(incomplete)).toContain('<li>harness error: The check owed 37 cells and produced 36: missing blog /var/www/html (site) after `kill`.');
    expect(renderJunit(incomplete)).toMatch(/<error message="The check owed 37 cells/);
  });
});
