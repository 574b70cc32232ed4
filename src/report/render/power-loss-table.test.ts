// The power-loss table, rendered from part of the report of a real `persist run power-loss
// --images local` (src/report/fixtures/power-loss-report.json): SIGKILL and the power cut side
// by side for each setting, the control and the sync control marked.
import { describe, expect, test } from 'vitest';
import recorded from '../fixtures/power-loss-report.json' with { type: 'json' };
import type { RunReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { powerLossTable } from './power-loss-table.ts';

const report = recorded as unknown as RunReport;

describe('the power-loss table', () => {
  test('the recorded report matches the published schema', () => {
    expect(reportProblems(report)).toEqual([]);
  });

  test('a row per server and setting: what a SIGKILL and what a power cut lost, side by side', () => {
    const table = powerLossTable(report)!;
    const row = (target: string, setting: string) => table.rows.find((r) => r.cells[0] === target && r.cells[1] === setting)!;
    expect(table.rows).toHaveLength(4);
    expect(row('postgres', 'default').cells.slice(2, 4)).toEqual(['0 of 1172 lost', '0 of 1138 lost']);
    const fsyncOff = row('postgres', 'fsync=off');
    expect(fsyncOff.cells[2]).toBe('0 of 2225 lost');
    expect(fsyncOff.cells[3]).toBe('1936 of 1936 lost, from 815 ms before (control)');
    expect(fsyncOff.cells[5]).toBe('e2fsck clean');
    // The row's verdict is its judged SIGKILL cell's, not the control's (a caught control fails on purpose).
    expect(fsyncOff.result.status).toBe('passed');
    expect(row('redis', 'RDB snapshots only').cells[2]).toBe('2436 of 2436 lost, from 1.01 s before (not promised)');
    const synced = row('mysql', 'innodb_flush_log_at_trx_commit=2 (synced first)');
    expect(synced.cells[2]).toBe('—');
    expect(synced.cells[4]).toMatch(/^815 ms, clean \(CHECK TABLE ledger EXTENDED: status: OK\)$/);
  });

  test('Markdown and HTML show it', () => {
    expect(renderMarkdown(report)).toContain('## Power cut and SIGKILL side by side');
    expect(renderHtml(report)).toContain('<section id="power-loss">');
  });

  test('a scenario this machine could not run is named with why', () => {
    const notRun = { ...report, notRun: [{ scenario: 'power-loss', reason: 'power cuts need root on the engine host' }] };
    expect(reportProblems(notRun)).toEqual([]);
    expect(renderMarkdown(notRun)).toContain('- Not run: power-loss (power cuts need root on the engine host)');
    expect(renderHtml(notRun)).toContain('Not run: power-loss (power cuts need root on the engine host)');
  });
});
