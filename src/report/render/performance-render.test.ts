// The performance section in Markdown and JUnit, from a real `persist run performance` report
// (3 trials, full size, on this machine). The HTML charts are checked in the browser test.
import { describe, expect, test } from 'vitest';
import measured from '../fixtures/performance-report.json' with { type: 'json' };
import { exitCodeFor, type RunReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

const report = measured as RunReport;
const performance = report.performance!;

describe('a performance report', () => {
  test('matches the schema, and passes on its figures and its caught control alone (no data verdicts)', () => {
    expect(reportProblems(report)).toEqual([]);
    expect(report.summary.total).toBe(0);
    expect(exitCodeFor(report)).toBe(0);
    // A throttle the benchmark did not see is a control not caught: the run cannot pass.
    const blind = structuredClone(report);
    blind.controls[0]!.caught = false;
    blind.summary.controlsCaught = 0;
    expect(exitCodeFor(blind)).toBe(2);
  });

  test('Markdown: the machine, every claim beside its measurement, a row per metric with all four storage types, the control', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('storage performance: 48 figures on 4 storage type(s), 2 tuning comparison(s).');
    expect(markdown).toContain('## Storage performance');
    expect(markdown).toMatch(/Measured on this machine: Docker engine .+, storage driver overlay2, data root \/var\/lib\/docker on ext4/);
    for (const claim of performance.claims) expect(markdown).toContain(`| ${claim.seed.replaceAll('|', '\\|')} |`);
    expect(markdown).toContain('| Metric | Unit | named-volume | bind-mount | tmpfs | container-layer |');
    expect(markdown).toMatch(/^\| fio 4 KiB random writes, fdatasync after each ↑ \| IOPS \| [\d,]+ \([\d,]+–[\d,]+\) \|/m);
    expect(markdown).toContain('O_DIRECT accepted, and meaningless: tmpfs is memory');
    expect(markdown).toMatch(/Negative control: .+ caught: the benchmark saw the throttle/);
    // The brief summary for a CI page leaves the section out.
    expect(renderMarkdown(report, { brief: true })).not.toContain('## Storage performance');
  });

  test('JUnit: a performance suite with a case per metric, tuning and claim, none of them a failure', () => {
    const xml = renderJunit(report);
    const metrics = new Set(performance.figures.map((f) => f.metric)).size;
    const cases = xml.match(/classname="performance\.(fio|pgbench|sysbench|tuning|claims)"/g) ?? [];
    expect(cases).toHaveLength(metrics + performance.tuning.length + performance.claims.length);
    expect(xml).toMatch(/<testsuite name="performance" [^>]*failures="0" errors="0"/);
  });
});
