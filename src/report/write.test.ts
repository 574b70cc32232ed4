import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import type { RunReport } from './model.ts';
import { writeReport } from './write.ts';

const report = sample as RunReport;

describe('writing a report', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'write-report-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  test('every format is written, and each says the same counts', async () => {
    const written = await writeReport(report, join(folder, report.runId), true);
    expect((await readdir(written.outDir)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    expect((await readdir(written.latestDir!)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    const read = (name: string) => readFile(join(written.outDir, name), 'utf8');
    const { passed, failed, errored, total, controls } = report.summary;
    expect(JSON.parse(await read('report.json')).summary).toEqual(report.summary);
    expect(await read('report.md')).toContain(`${passed} passed, ${failed} failed, ${errored} errored of ${total}`);
    expect(await read('report.html')).toContain(
      `${passed} passed</span> · <span class="failed">${failed} failed</span> · <span class="errored">${errored} errored</span> of ${total}`,
    );
    expect(await read('report.junit.xml')).toContain(`tests="${total + controls}" failures="${failed}" errors="${errored}"`);
  });
});
