// Runs split across machines: the shards of a run, merged, are the run (the same cells, the same
// verdicts, each control once); and the example workflow that does it in CI, parsed and run here
// as a runner would, since GitHub is not reachable from this machine.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { RunReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { readWorkflow, type WorkflowStep } from './workflow.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMAGES = loadConfig().imageSet;

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'persist-shards-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function persist(args: string[]) {
  return execa(process.execPath, ['bin/persist.js', ...args], { cwd: ROOT, reject: false, env: { PERSIST_QUIET: '1' } });
}

const readReport = async (folder: string) => JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as RunReport;
/** What a run proved: each cell's id with its verdict, each control's id with whether it was caught. */
const verdicts = (report: RunReport) => ({
  results: report.results.map((r) => `${r.id} ${r.status} ${r.observed}`).sort(),
  controls: report.controls.map((c) => `${c.id} ${c.caught ? 'caught' : 'missed'}`).sort(),
});

describe('bad input: one sentence, exit 2, before anything starts', () => {
  test('a shard that is not K/N, and reports that are not shards of one run', async () => {
    const shard = await persist(['run', 'volumes', '--shard', '5/4']);
    expect([shard.exitCode, shard.stderr.trim()]).toEqual([
      2,
      'persist: --shard 5/4 is not a shard: it is K/N, with 1 ≤ K ≤ N. Use for example `--shard 2/4` in the second of four jobs.',
    ]);
    const sample = join(ROOT, 'src/report/fixtures/sample-report.json');
    const merge = await persist(['report', '--merge', sample, '--out', join(work, 'not-merged')]);
    expect(merge.exitCode).toBe(2);
    expect(merge.stderr).toMatch(/^persist: .*sample-report\.json is not the report of a shard\. Merge the reports of `persist run --shard K\/N` runs\.$/);
    const missing = await persist(['report', '--merge', join(work, 'no-such', 'report.json')]);
    expect([missing.exitCode, missing.stderr]).toEqual([2, expect.stringContaining('cannot be read')]);
  });
});

describe('persist run --shard and persist report --merge', () => {
  test('two shards of tmpfs, volumes, bind and redis, merged, are the unsharded run: the same ids and verdicts', async () => {
    const scenarios = ['tmpfs', 'volumes', 'bind', 'redis'];
    // Redis is the database here: its cells take a third of PostgreSQL's, and a shard cut by a
    // baseline needs scenario files of different lengths, not a particular server.
    const common = ['run', ...scenarios, '--images', IMAGES, '--trials', '1'];
    const whole = await persist([...common, '--out', join(work, 'whole')]);
    expect(whole.exitCode, whole.stderr).toBe(0);
    // Both shards cut by the unsharded run's durations, as a CI matrix would with a stored baseline.
    const baseline = join(work, 'whole', 'report.json');
    for (const k of [1, 2]) {
      const shard = await persist([...common, '--shard', `${k}/2`, '--baseline', baseline, '--out', join(work, `shard-${k}`)]);
      expect(shard.exitCode, shard.stderr).toBe(0);
    }
    const merged = await persist([
      'report',
      '--merge',
      join(work, 'shard-1', 'report.json'),
      join(work, 'shard-2', 'report.json'),
      '--out',
      join(work, 'merged'),
    ]);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect((await readdir(join(work, 'merged'))).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);

    const [unsharded, first, second, together] = await Promise.all(['whole', 'shard-1', 'shard-2', 'merged'].map((name) => readReport(join(work, name))));
    expect(reportProblems(together)).toEqual([]);
    expect(verdicts(together!)).toEqual(verdicts(unsharded!));
    expect(together!.summary).toEqual(unsharded!.summary);
    // Each shard ran a part, the parts do not overlap, and together they are every test.
    for (const shard of [first!, second!]) {
      expect(shard.shard).toMatchObject({ count: 2, balancedBy: 'baseline', baselineRunId: unsharded!.runId, ofTests: unsharded!.tests!.length });
      expect(shard.results.length).toBeGreaterThan(0);
    }
    const names = (report: RunReport) => (report.tests ?? []).map((t) => `${t.file} > ${t.name}`);
    expect([...names(first!), ...names(second!)].sort()).toEqual(names(unsharded!).sort());
    expect(together!.shards?.map((s) => [s.index, s.runId])).toEqual([
      [1, first!.runId],
      [2, second!.runId],
    ]);
    expect(await readFile(join(work, 'merged', 'report.md'), 'utf8')).toContain('## Shards');
  });
});

interface Job {
  needs?: string;
  if?: string;
  strategy?: { 'fail-fast': boolean; matrix: { shard: number[] } };
  steps: WorkflowStep[];
}
interface Workflow {
  env: Record<string, string>;
  jobs: { shard: Job; merge: Job };
}

/** A checkout of this repository: its top-level entries linked into a folder of the job's own. */
async function checkout(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const entry of await readdir(ROOT)) {
    if (entry !== 'reports' && entry !== '.git') await symlink(join(ROOT, entry), join(folder, entry));
  }
}

/** Runs a job's `run:` steps in order as GitHub's bash would, and does what its artifact steps do. */
async function runJob(job: Job, folder: string, env: Record<string, string>, matrix: Record<string, string>, artifacts: string): Promise<string[]> {
  const expand = (text: string) => text.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => matrix[key] ?? '');
  const ran: string[] = [];
  for (const step of job.steps) {
    if (step.uses?.startsWith('actions/upload-artifact')) {
      await cp(join(folder, step.with!.path!), join(artifacts, expand(step.with!.name!)), { recursive: true });
    } else if (step.uses?.startsWith('actions/download-artifact')) {
      const pattern = new RegExp(`^${step.with!.pattern!.replace('*', '.*')}$`);
      for (const name of (await readdir(artifacts)).filter((n) => pattern.test(n)))
        await cp(join(artifacts, name), join(folder, step.with!.path!, name), { recursive: true });
    } else if (step.run && step.id !== 'install') {
      const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run)], { cwd: folder, env, reject: false, all: true });
      expect(result.exitCode, `${step.name}: ${result.all}`).toBe(0);
      ran.push(step.name ?? step.run);
    }
  }
  return ran;
}

describe('the example sharded workflow', () => {
  test('four shards and a merge job: every shard keeps its report, the merge fails on any failure, the matrix matches the count', async () => {
    const workflow = await readWorkflow<Workflow>('persist-shards.yml');
    const { shard, merge } = workflow.jobs;
    expect(shard.strategy?.matrix.shard).toEqual([1, 2, 3, 4]);
    expect(Number(workflow.env.PERSIST_SHARDS)).toBe(shard.strategy?.matrix.shard.length);
    expect(shard.strategy?.['fail-fast']).toBe(false);
    expect([merge.needs, merge.if]).toEqual(['shard', 'always()']);
    for (const job of [shard, merge]) {
      expect(job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))?.if).toBe('always()');
      expect(job.steps.find((step) => step.id === 'install')?.run).toBe('npm ci');
    }
  });

  test('its commands, run as the runner would for two small scenarios, leave one merged report of every cell', async () => {
    const workflow = await readWorkflow<Workflow>('persist-shards.yml');
    const artifacts = join(work, 'artifacts');
    await mkdir(artifacts);
    // Two scenarios in four shards: two shards run one unit each, two are dealt nothing.
    const env = { ...workflow.env, PERSIST_SCENARIOS: 'tmpfs volumes', PERSIST_ARGS: `--trials 1 --images ${IMAGES}`, PERSIST_QUIET: '1' };
    for (const k of workflow.jobs.shard.strategy!.matrix.shard) {
      const folder = join(work, `job-${k}`);
      await checkout(folder);
      expect(await runJob(workflow.jobs.shard, folder, env, { shard: String(k) }, artifacts)).toEqual(['Run this shard']);
    }
    const mergeFolder = join(work, 'merge-job');
    await checkout(mergeFolder);
    expect(await runJob(workflow.jobs.merge, mergeFolder, env, {}, artifacts)).toEqual(['Merge the shards']);
    const merged = await readReport(join(mergeFolder, 'persist-report'));
    expect(reportProblems(merged)).toEqual([]);
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(merged.shards?.map((s) => s.summary.total).sort()).toEqual([0, 0, 1, 1]);
    expect(merged.results.map((r) => r.scenario).sort()).toEqual(['tmpfs', 'volumes']);
    expect(merged.summary.controlsCaught).toBe(merged.summary.controls);
    expect(merged.summary.controls).toBeGreaterThan(0);
  });
});
