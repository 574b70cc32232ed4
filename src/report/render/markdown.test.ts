import { describe, expect, test } from 'vitest';
import sample from '../fixtures/sample-report.json' with { type: 'json' };
import { summarise, type Report } from '../model.ts';
import { formatMs, renderMarkdown } from './markdown.ts';

const report = sample as Report;

describe('renderMarkdown', () => {
  test('starts with the verdict and counts', () => {
    const lines = renderMarkdown(report).split('\n');
    expect(lines[0]).toBe(`# Persistence report: run ${report.runId}`);
    expect(lines[2]).toBe('**✅ PASSED**: 8 passed, 0 failed, 0 errored of 8; negative controls caught: 1 of 1.');
  });

  test('has a storage × disruption matrix row per storage type', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| Storage | restart | recreate |');
    for (const storage of ['named-volume', 'bind-mount', 'tmpfs', 'container-layer']) {
      expect(markdown).toMatch(new RegExp(`^\\| ${storage} \\| ✅ passed: \\w+ \\(expected \\w+\\) · [\\d.]+ m?s \\| ✅ passed`, 'm'));
    }
  });

  test('names each failure on its own line under the verdict', () => {
    const broken = structuredClone(report);
    const cell = broken.results.find((r) => r.id === 'postgres/named-volume/recreate')!;
    cell.status = 'failed';
    cell.observed = 'lost';
    broken.summary = summarise(broken.results, broken.controls);
    const markdown = renderMarkdown(broken);
    expect(markdown).toContain('**❌ NOT PASSED**: 7 passed, 1 failed, 0 errored of 8');
    expect(markdown).toContain('- ❌ failed **PostgreSQL on named-volume, recreate**: expected survives, observed lost');
  });

  test('shows the negative controls and the evidence behind them', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('## Negative controls');
    expect(markdown).toMatch(/\| PostgreSQL: named volume mounted at the wrong path, recreate \| .+ \| failed, observed lost \| ✅ caught \|/);
    expect(markdown).toContain('table readings is absent (had 10000 rows)');
  });

  test('says what each phase measured', () => {
    expect(renderMarkdown(report)).toMatch(/- \*\*ready\*\*: From running until the database accepts a TCP connection/);
  });

  test('formats durations for people', () => {
    expect(formatMs(62.4)).toBe('62 ms');
    expect(formatMs(1_234)).toBe('1.23 s');
  });
});
