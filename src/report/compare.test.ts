import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import slower from './fixtures/sample-report-slower.json' with { type: 'json' };
import { compareReports } from './compare.ts';
import { exitCodeFor, summarise, type RunReport } from './model.ts';
import { renderHtml } from './render/html.ts';
import { renderJunit } from './render/junit.ts';
import { renderMarkdown } from './render/markdown.ts';
import { reportProblems } from './validate.ts';

const baseline = sample as RunReport;
const current = slower as RunReport;

function withRecovery(report: RunReport, id: string, medianMs: number): RunReport {
  const copy = structuredClone(report);
  copy.results.find((r) => r.id === id)!.timings.summary.recovery!.medianMs = medianMs;
  return copy;
}

describe('comparing a run with a baseline', () => {
  test('flags exactly the cell whose recovery got slower', () => {
    const comparison = compareReports(baseline, current);
    expect(comparison.regressions.map((r) => r.id)).toEqual(['postgres/bind-mount/recreate']);
    expect(comparison.regressions[0]).toMatchObject({ deltaMs: 900 });
    expect(comparison.verdictChanges).toEqual([]);
    expect(reportProblems({ ...current, comparison })).toEqual([]);
  });

  test('a regression needs both thresholds: percent and milliseconds', () => {
    const id = 'postgres/named-volume/restart';
    const base = baseline.results.find((r) => r.id === id)!.timings.summary.recovery!.medianMs;
    // +30 % of a 290 ms median is under 100 ms: jitter on a fast cell.
    expect(compareReports(baseline, withRecovery(baseline, id, base * 1.3)).regressions).toEqual([]);
    // +150 ms on a slow cell is a regression only above the percent threshold too.
    expect(compareReports(baseline, withRecovery(baseline, id, base + 150), { percent: 1_000, ms: 100 }).regressions).toEqual([]);
    expect(compareReports(baseline, withRecovery(baseline, id, base + 150), { percent: 10, ms: 100 }).regressions.map((r) => r.id)).toEqual([id]);
  });

  test('a changed verdict is flagged with what it was and what it is', () => {
    const changed = structuredClone(baseline);
    const cell = changed.results.find((r) => r.id === 'postgres/named-volume/recreate')!;
    cell.status = 'failed';
    cell.observed = 'lost';
    expect(compareReports(baseline, changed).verdictChanges).toEqual([
      { id: 'postgres/named-volume/recreate', title: cell.title, before: 'passed, observed survives', after: 'failed, observed lost' },
    ]);
  });

  test('a regression fails the run only when asked to', () => {
    const reported = { ...current, comparison: compareReports(baseline, current) };
    expect(exitCodeFor(reported)).toBe(0);
    const failing = { ...current, summary: summarise(current.results, current.controls), comparison: compareReports(baseline, current, undefined, true) };
    expect(exitCodeFor(failing)).toBe(1);
  });
});

describe('a comparison in every format', () => {
  test('Markdown, HTML and JUnit each name the regressed cell', () => {
    const compared = { ...current, comparison: compareReports(baseline, current, undefined, true) };
    expect(renderMarkdown(compared)).toContain(
      '| PostgreSQL on bind-mount, recreate (`postgres/bind-mount/recreate`) | 337 ms | 1.24 s | +900 ms (+266.9 %) |',
    );
    expect(renderMarkdown(compared)).toContain('**❌ NOT PASSED**');
    expect(renderHtml(compared)).toMatch(/<tr class="regression"><td>PostgreSQL on bind-mount, recreate <code>postgres\/bind-mount\/recreate<\/code>/);
    expect(renderJunit(compared)).toContain(
      '<failure message="recovery slower by more than 20 % and 100 ms than run 20261128-070808-f0dm" type="RecoveryRegression">',
    );
  });
});
