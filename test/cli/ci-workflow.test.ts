// The example GitHub Actions workflow cannot run here (no GitHub, no registry), so this parses
// it and runs what it contains on a copy of a project, as a runner would: the checkouts become
// a copy of the project and a link to this clone, and every `run:` step runs with the job's
// environment, in order, from the project's folder. Only the install step is not run: it would
// reinstall this clone's own packages under the suite that is using them.
import { cp, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { CheckReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { readWorkflow, type WorkflowStep } from './workflow.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const STAND_INS = join(ROOT, 'examples/compose/stand-ins.env');

interface Workflow {
  on: { pull_request: { paths: string[] } };
  jobs: Record<string, { env: Record<string, string>; steps: WorkflowStep[] }>;
}

let workflow: Workflow;
let project = '';
beforeAll(async () => {
  workflow = await readWorkflow<Workflow>('persist-check.yml');
  project = await mkdtemp(join(tmpdir(), 'persist-ci-'));
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('the example CI workflow', () => {
  test('runs on pull requests that change a Compose file, and keeps the report whatever the verdict', () => {
    const paths = workflow.on.pull_request.paths;
    for (const pattern of ['**/compose.yaml', '**/compose.*.yaml', '**/docker-compose*.yml']) expect(paths).toContain(pattern);
    const steps = Object.values(workflow.jobs)[0]?.steps ?? [];
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('${{ env.PERSIST_REPORT }}');
    // The audit's SARIF is uploaded whatever the audit's verdict, where the audit writes it.
    const sarif = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(sarif?.if).toBe("always() && hashFiles('persist-audit/report.sarif') != ''");
    expect(sarif?.with?.sarif_file).toBe('${{ env.PERSIST_AUDIT }}/report.sarif');
    expect(Object.values(workflow.jobs)[0]?.env.PERSIST_AUDIT).toBe('persist-audit');
    // The check runs even when the audit found an error.
    expect(steps.find((step) => step.name === 'Check what survives')?.if).toBe("always() && steps.install.outcome == 'success'");
  });

  test('its commands, run in order on the x-persist example, check the project and leave the report where the upload looks', async () => {
    const job = Object.values(workflow.jobs)[0];
    if (!job) throw new Error('the workflow has no job');
    // What the two checkouts leave: the project at the top, persist in .persist.
    await cp(join(ROOT, 'examples/compose/x-persist'), project, { recursive: true });
    await symlink(ROOT, join(project, '.persist'));
    const env = {
      ...job.env,
      // This machine has the stand-ins, not the official images.
      ...(loadConfig().imageSet === 'local' ? { PERSIST_COMPOSE_ARGS: `${job.env.PERSIST_COMPOSE_ARGS} --env-file ${STAND_INS}` } : {}),
      PERSIST_QUIET: '1',
    };
    const ran: string[] = [];
    for (const step of job.steps) {
      if (!step.run) continue;
      if (step.id === 'install') {
        expect(step.run).toBe('npm ci --prefix .persist');
        continue;
      }
      const result = await execa('bash', ['-e', '-c', step.run], { cwd: project, env, reject: false, all: true });
      expect(result.exitCode, `${step.name}: ${result.all}`).toBe(0);
      ran.push(step.name ?? step.run);
    }
    expect(ran).toEqual(['Audit your Compose files', 'Pull and build your images', 'Check what survives']);
    const sarif = JSON.parse(await readFile(join(project, job.env.PERSIST_AUDIT ?? '', 'report.sarif'), 'utf8')) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
    const uploaded = join(project, job.env.PERSIST_REPORT ?? '');
    for (const file of ['report.json', 'report.md', 'report.html', 'report.junit.xml']) await expect(stat(join(uploaded, file))).resolves.toBeTruthy();
    const report = JSON.parse(await readFile(join(uploaded, 'report.json'), 'utf8')) as CheckReport;
    expect(reportProblems(report)).toEqual([]);
    expect(report.check.cells.every((cell) => cell.status === 'passed')).toBe(true);
  });
});
