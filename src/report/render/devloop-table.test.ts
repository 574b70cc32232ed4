// The development-loop tables, rendered from the report of a real `persist run devloop --images
// local` at 3 trials (src/report/fixtures/devloop-report.json).
import { describe, expect, test } from 'vitest';
import recorded from '../fixtures/devloop-report.json' with { type: 'json' };
import type { RunReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { devloopTables } from './devloop-table.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

const report = recorded as unknown as RunReport;

describe('development-loop tables', () => {
  test('the recorded report matches the published schema', () => {
    expect(reportProblems(report)).toEqual([]);
  });

  test('one table per stack, each watcher, the trap and both controls a row', () => {
    const [node, flask] = devloopTables(report);
    expect(node!.title).toBe('Development loop: node');
    expect(node!.rows.map((r) => r.control)).toEqual([false, false, false, true, true]);
    expect(flask!.rows).toHaveLength(4);
  });

  test('a watcher row: edits served, delay, restarts, the rename, the new file and the syntax error as they behaved', () => {
    const [, flask] = devloopTables(report);
    const stat = flask!.rows.find((r) => r.result.variant === 'devloop-werkzeug-stat')!;
    expect(stat.cells[1]).toBe('5 of 5');
    expect(stat.cells[2]).toMatch(/^\d\.\d\d s \/ \d\.\d\d s$/);
    expect(stat.cells[3]).toBe('5 of 5');
    expect(stat.cells[5]).toBe('not picked up');
    expect(stat.cells[6]).toBe("container exited (exit 1): SyntaxError: '(' was never closed; next good edit not served");
  });

  test('the trap says the app did not start, with its exit code and error line; a control served none of its edit', () => {
    const [node] = devloopTables(report);
    const trap = node!.rows.find((r) => r.result.variant === 'devloop-without-modules-volume')!;
    expect(trap.cells[1]).toBe('app did not start (exit 127): sh: 1: nodemon: not found');
    const control = node!.rows.find((r) => r.control && r.result.storage === 'named-volume')!;
    expect(control.cells[0]).toBe('control: -v NAMED_VOLUME:/app -v /app/node_modules');
    expect(control.cells[1]).toBe('0 of 1');
  });

  test('Markdown and HTML both carry the tables', () => {
    expect(renderMarkdown(report)).toContain('## Development loop: flask');
    expect(renderHtml(report)).toContain('<section id="devloop-2"><h2>Development loop: flask</h2>');
  });
});
