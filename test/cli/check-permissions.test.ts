// The seed's first problem proved on a copy: a server that runs as uid 1001 (as the Bitnami images
// do) with its data on a bind mount. Its host folder missing, Docker creates it owned by root and
// the server cannot start: the audit says so on paper and the check's cell shows the log line.
// The negative control is the same project with the folder chowned to 1001, as the fix says: the
// copy meets the folder as the user's is (its owner kept), starts, and keeps its data.
import { chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMAGE = `persist-test-nonroot:${process.pid}`;
let project = '';

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'persist-check-permissions-'));
  await writeFile(
    join(project, 'Dockerfile'),
    [
      'FROM persistence-harness/debian-base:bookworm',
      'RUN mkdir /data && chown 1001:1001 /data',
      'USER 1001',
      'CMD ["sh", "-c", "echo started > /data/started && exec sleep infinity"]',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(project, 'compose.yaml'),
    [
      'services:',
      '  app:',
      `    image: ${IMAGE}`,
      '    build: .',
      '    volumes:',
      '      - ./data:/data',
      'x-persist:',
      '  services:',
      '    app:',
      '      data: [/data]',
      '',
    ].join('\n'),
  );
  await execa('docker', ['build', '-q', '--label', 'persistence-harness.test=check-permissions', '-t', IMAGE, project]);
}, 120_000);

afterAll(async () => {
  await execa('docker', ['rmi', '-f', IMAGE], { reject: false });
  await rm(project, { recursive: true, force: true });
});

async function check(name: string) {
  const out = join(project, `out-${name}`);
  const result = await execa(process.execPath, ['bin/persist.js', 'check', '-f', join(project, 'compose.yaml'), '--disruptions', 'restart', '--out', out], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1' },
  });
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as CheckReport;
  expect(reportProblems(report)).toEqual([]);
  return { ...result, report, cell: report.check!.cells[0]! };
}

describe('persist check: permission denied on a bind mount', () => {
  test('the folder missing: the audit names it, and the copy’s server does not start, its log line in the cell', async () => {
    const run = await check('missing');
    expect(run.exitCode).toBe(1);
    expect(run.report.audit.findings.map((finding) => finding.rule)).toContain('cannot-write-data-path');
    expect(run.cell).toMatchObject({ service: 'app', path: '/data', lifecycle: 'restart', observed: 'unavailable', status: 'failed' });
    expect(run.cell.evidence.join(' ')).toMatch(/app exited with code \d+; its last log lines: .*cannot create \/data\/started: Permission denied/);
    // The user's project is only read: no folder was made there.
    await expect(stat(join(project, 'data'))).rejects.toThrow();
  });

  test('negative control: the folder given to uid 1001, as the fix says: no finding, the copy starts on it and keeps its data', async () => {
    await mkdir(join(project, 'data'));
    await chown(join(project, 'data'), 1001, 1001);
    const run = await check('chowned');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.report.audit.findings.map((finding) => finding.rule)).not.toContain('cannot-write-data-path');
    expect(run.cell).toMatchObject({ observed: 'kept', status: 'passed' });
    // The copy wrote to its own folder: the user's is as it was.
    expect(await readdir(join(project, 'data'))).toEqual([]);
    expect((await stat(join(project, 'data'))).uid).toBe(1001);
  });
});
