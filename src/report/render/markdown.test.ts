import { describe, expect, test } from 'vitest';
import sample from '../fixtures/sample-report.json' with { type: 'json' };
import { summarise, type RunReport } from '../model.ts';
import { renderMarkdown } from './markdown.ts';
import { formatMs } from './shared.ts';

const report = sample as RunReport;

/** A backup drill's result, built on the sample's first cell. */
function backupCell(id: string, facts: Record<string, unknown>, more: Record<string, unknown> = {}): RunReport['results'][number] {
  const cell = structuredClone(report.results[0]!);
  return Object.assign(cell, { id, disruption: 'backup-restore', variant: id.split('/').pop(), details: { kind: 'backup', commands: [], ...facts }, ...more });
}

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

  test('backup drills get their own table: method × target with times, size and RPO', () => {
    const withBackup = structuredClone(report);
    const cell = backupCell(
      'postgres/backup-restore/helper-tar-hot',
      {
        method: 'helper-tar',
        mode: 'hot',
        archive: { name: 'data.tar.gz', bytes: 7_340_032, sha256: 'ab'.repeat(32), entries: 1305 },
        integrity: 'verified',
        restoredServiceStarted: true,
        crashRecovery: true,
        rpo: {
          acknowledged: 353,
          present: 173,
          missing: 180,
          missingBeforeBackup: 2,
          unexpected: 0,
          recovered: 0,
          windowMs: 1185,
          firstMissingAfterBackupStartMs: -20,
        },
      },
      {
        timings: {
          perTrial: [],
          summary: {
            backup: { trials: 1, medianMs: 1534, minMs: 1534, maxMs: 1534 },
            restore: { trials: 1, medianMs: 1632, minMs: 1632, maxMs: 1632 },
            recovery: { trials: 1, medianMs: 2204, minMs: 2204, maxMs: 2204 },
          },
        },
      },
    );
    withBackup.results.push(cell);
    const markdown = renderMarkdown(withBackup);
    expect(markdown).toContain('## Backup and restore');
    expect(markdown).toContain(
      '| helper-tar | postgres | hot | ✅ passed: survives | 1.53 s | 1.63 s | 2.20 s | 7.0 MiB · manifest ✓ | 180 of 353 (**2 from before the backup**) | started after crash recovery |',
    );
    // A backup result is not a storage × disruption cell.
    expect(markdown.match(/## postgres: what survives/g)).toHaveLength(1);
  });

  test('the brief form for a CI step summary keeps verdict and tables, leaves out the evidence', () => {
    const brief = renderMarkdown(report, { brief: true });
    expect(brief).toContain('**✅ PASSED**');
    expect(brief).toContain('## Negative controls');
    expect(brief).not.toContain('## Evidence');
    expect(brief).not.toContain('## What each phase measures');
  });

  test('says what each phase measured', () => {
    expect(renderMarkdown(report)).toMatch(/- \*\*ready\*\*: From running until the database accepts a TCP connection/);
  });

  test('formats durations for people', () => {
    expect(formatMs(62.4)).toBe('62 ms');
    expect(formatMs(1_234)).toBe('1.23 s');
  });
});

describe('renderMarkdown: backup objects', () => {
  test("a backup's objects column names what the restore lost of its source's, and a method's variant names its row", () => {
    const withBackup = structuredClone(report);
    const table = { kind: 'table', database: 'harness', name: 'employees' };
    const dump = { method: 'native-dump', mode: 'hot', archive: null, integrity: 'unchecked', restoredServiceStarted: true, crashRecovery: false, rpo: null };
    const cell = backupCell(
      'mysql/backup-restore/native-dump-hot',
      {
        ...dump,
        objects: { kept: [table], lost: [{ kind: 'procedure', database: 'harness', name: 'employees_count' }] },
      },
      { target: 'mysql' },
    );
    const whole = backupCell('mysql/backup-restore/native-dump-whole', { ...dump, objects: { kept: [table], lost: [] } }, { target: 'mysql' });
    withBackup.results.push(cell, whole);
    const markdown = renderMarkdown(withBackup);
    expect(markdown).toMatch(/\| native-dump \| mysql \| hot \| .* \| \*\*lost harness\.employees_count \(procedure\); kept 1 table\*\* \|$/m);
    expect(markdown).toMatch(/\| native-dump-whole \| mysql \| hot \| .* \| all 1 kept \(1 table\) \|$/m);
  });
});
