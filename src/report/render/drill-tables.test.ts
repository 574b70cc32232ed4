// The stop-mode and upgrade tables, rendered from the report of a real `persist run crash
// upgrade --images local` (src/report/fixtures/crash-upgrade-report.json).
import { describe, expect, test } from 'vitest';
import recorded from '../fixtures/crash-upgrade-report.json' with { type: 'json' };
import type { RunReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { shortVersion, stopModeTable, upgradeTable, withoutLogPrefix } from './shared.ts';

const report = recorded as unknown as RunReport;

describe('stop-mode and upgrade tables', () => {
  test('the recorded report matches the published schema', () => {
    expect(reportProblems(report)).toEqual([]);
  });

  test('a row per stop mode and target, the control marked, with what the log said', () => {
    const table = stopModeTable(report)!;
    expect(table.rows).toHaveLength(8);
    const kill = table.rows.find((r) => r.result.id === 'postgres/named-volume/stop-start/kill')!;
    expect(kill.cells[3]).toBe('crash recovery (expected crash recovery)');
    expect(kill.cells[4]).toBe('137');
    expect(kill.cells[5]).toMatch(/^LOG: {2}database system was interrupted/);
    const control = table.rows.find((r) => r.control && r.result.target === 'mysql')!;
    expect(control.cells[2]).toBe('docker stop -t 5 CONTAINER && docker start CONTAINER, the server under sh -c as PID 1 (control)');
    expect(control.cells[3]).toBe('crash recovery (expected clean shutdown)');
  });

  test('an upgrade row says what the new server did, in its own words, and the path that worked', () => {
    const rows = upgradeTable(report)!.rows;
    const postgres = rows.find((r) => r.result.id === 'postgres/named-volume/upgrade/postgres')!;
    expect(postgres.cells[2]).toBe('refused the old data');
    expect(postgres.cells[3]).toMatch(
      /^FATAL: {2}database files are incompatible with server \/ DETAIL: {2}The data directory was initialized by PostgreSQL version 15/,
    );
    expect(postgres.cells[5]).toBe('dump-restore');
    const moved = rows.find((r) => r.control && r.result.variant === 'moved-data-path')!;
    expect(moved.cells[2]).toBe('STARTED EMPTY (fresh data directory): data at /var/lib/postgresql/17/docker, old data mounted at /var/lib/postgresql/data');
  });

  test('Markdown shows both tables with verdicts, pipes in log lines escaped', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('## Stop modes');
    expect(markdown).toContain('## Upgrades');
    expect(markdown).toMatch(
      /^\| mysql \| persistence-harness\/mysql:10\.11 \(MariaDB 10\.11\.\d+\) → persistence-harness\/mysql:11\.8 \(MariaDB 11\.8\.\d+\) \| ✅ passed: survives \| ran on the old data \|/m,
    );
    expect(markdown).toMatch(/^\| moved-data-path \(control\) \| .+ \| ❌ failed: lost \| STARTED EMPTY/m);
  });

  test('HTML has both sections, each verdict a badge', () => {
    const html = renderHtml(report);
    expect(html).toContain('<section id="stop-modes"><h2>Stop modes</h2>');
    expect(html).toContain('<section id="upgrades"><h2>Upgrades</h2>');
    expect(html).toMatch(/<td class="failed"><span class="badge failed">failed<\/span>: lost<\/td><td>STARTED EMPTY/);
  });

  test('log lines lose their timestamps in the tables', () => {
    expect(withoutLogPrefix('2026-11-28 11:16:28 0 [Note] InnoDB: Starting crash recovery')).toBe('[Note] InnoDB: Starting crash recovery');
    expect(withoutLogPrefix('2026-11-28 11:16:12.190 UTC [1] LOG:  database system is shut down')).toBe('LOG:  database system is shut down');
    expect(withoutLogPrefix('PostgreSQL init process complete')).toBe('PostgreSQL init process complete');
  });

  test('versions are shortened to engine and number', () => {
    expect(shortVersion('PostgreSQL 17.12 (Debian 17.12-0+deb13u1) on x86_64-pc-linux-gnu')).toBe('PostgreSQL 17.12');
    expect(shortVersion('MariaDB 10.11.18-MariaDB-0+deb12u1 (Debian 12)')).toBe('MariaDB 10.11.18');
    expect(shortVersion('RabbitMQ 3.10.8')).toBe('RabbitMQ 3.10.8');
    expect(shortVersion('11.8.3-MariaDB-0+deb12u1')).toBe('11.8.3-MariaDB-0+deb12u1');
    expect(shortVersion(null)).toBe('?');
  });
});
