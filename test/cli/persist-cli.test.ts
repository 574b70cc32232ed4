// The persist command end to end, as a user meets it: one clear line and exit 2 on bad input
// or a missing engine, and nothing left behind when a run is interrupted, while what the
// harness did not make is never touched.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RUN_LABEL } from '../../src/docker/labels.ts';
import { runTempRoot } from '../../src/docker/run-scope.ts';
import { PowerDisk } from '../../src/host/power-disk.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { SCENARIOS } from '../../src/scenarios.ts';
import { deadlineIn, sleep, stopwatch } from '../../src/timing/clock.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const docker = new Docker();

function persist(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, ['bin/persist.js', ...args], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1', ...env },
  });
}

async function labelled(runId: string) {
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }),
    docker.listNetworks({ filters }),
  ]);
  return { containers: containers.length, volumes: (volumes.Volumes ?? []).length, networks: networks.length };
}

describe('bad input: one sentence, exit 2', () => {
  test('an unknown scenario names the known ones', async () => {
    const result = await persist(['run', 'postgress']);
    expect(result.exitCode).toBe(2);
    const known = SCENARIOS.map((s) => s.name).join(', ');
    expect(result.stderr.trim()).toBe(`persist: Unknown scenario: postgress. Known scenarios: ${known} (see \`persist list\`).`);
  });

  test('an invalid number of trials', async () => {
    const result = await persist(['run', '--trials', 'many']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('persist: Invalid number of trials "many". Use a whole number from 1 to 100.');
  });

  test('an invalid number of edits for the development loop', async () => {
    const result = await persist(['run', 'devloop', '--edits', '0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('persist: Invalid number of edits "0". Use a whole number from 1 to 100.');
  });

  test('a procedure file with a mistake names it, before anything starts', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'persist-procedure-'));
    const file = join(folder, 'procedure.json');
    await writeFile(file, JSON.stringify({ procedures: [{ name: 'nightly', target: 'redis', backup: './b.sh', restore: './r.sh' }] }));
    const result = await persist(['run', 'backup', '--procedure', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      `persist: The procedure file ${file} is invalid: procedures[0].target must be one of postgres, mysql, wordpress-files. See docs/backup-procedure.md.`,
    );
    await rm(folder, { recursive: true, force: true });
  });

  test('report re-renders a stored report.json; an unknown format or a file that is not a report is one sentence', async () => {
    const sample = join(ROOT, 'src/report/fixtures/sample-report.json');
    const markdown = await persist(['report', sample, '--format', 'md']);
    expect(markdown.exitCode).toBe(0);
    expect(markdown.stdout).toMatch(/^# Persistence report: run /);
    const folder = await mkdtemp(join(tmpdir(), 'persist-report-'));
    const junit = await persist(['report', sample, '--format', 'junit', '--out', join(folder, 'r.xml')]);
    expect(junit.exitCode).toBe(0);
    expect((await stat(join(folder, 'r.xml'))).size).toBeGreaterThan(0);
    // A run's report has no audit findings to annotate: no SARIF form, said in one sentence.
    const sarif = await persist(['report', sample, '--format', 'sarif']);
    expect(sarif.exitCode).toBe(2);
    expect(sarif.stderr.trim()).toBe('persist: This report has no audit, so it has no sarif form. Give the report.json of `persist audit` or `persist check`.');
    const unknown = await persist(['report', sample, '--format', 'pdf']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim()).toBe('persist: Unknown report format "pdf". Use one of: json, md, html, junit, sarif.');
    await writeFile(join(folder, 'not-a-report.json'), '{"schemaVersion": 2}');
    const invalid = await persist(['report', join(folder, 'not-a-report.json')]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr.trim()).toMatch(
      /^persist: The report .*not-a-report\.json does not match the report schema \(the report must have required property 'runId', and \d+ more\)\. Give a report\.json written by this version of persist\.$/,
    );
    await rm(folder, { recursive: true, force: true });
  });

  test('report --compare flags exactly the cell whose recovery got slower', async () => {
    const fixtures = join(ROOT, 'src/report/fixtures');
    const args = ['report', '--compare', join(fixtures, 'sample-report.json'), join(fixtures, 'sample-report-slower.json'), '--format', 'json'];
    const reported = await persist(args);
    expect(reported.exitCode).toBe(0);
    const comparison = JSON.parse(reported.stdout).comparison;
    expect(comparison.regressions.map((r: { id: string }) => r.id)).toEqual(['postgres/bind-mount/recreate']);
    expect(comparison.verdictChanges).toEqual([]);
    expect((await persist([...args, '--fail-on-regression'])).exitCode).toBe(1);
    const one = await persist(['report', '--compare', join(fixtures, 'sample-report.json')]);
    expect(one.exitCode).toBe(2);
    expect(one.stderr.trim()).toBe(
      'persist: --compare needs two reports, the baseline and the run to compare; 1 given. Use `persist report --compare BASELINE.json CURRENT.json`.',
    );
  });
});

describe('a missing engine or image: one sentence, exit 2', () => {
  test('doctor with the engine stopped says so with the fix', async () => {
    const result = await persist(['doctor'], { DOCKER_HOST: 'unix:///tmp/persistence-harness-no-engine.sock' });
    expect(result.exitCode).toBe(2);
    const engineLines = result.stdout.split('\n').filter((line) => line.includes('Docker engine'));
    expect(engineLines).toHaveLength(1);
    expect(engineLines[0]).toMatch(/^✘ The Docker engine does not answer \(.+\)\. Start it .+ then run `persist doctor`\.$/);
  });

  test('run with the engine stopped stops before creating anything', async () => {
    const result = await persist(['run', 'postgres'], { DOCKER_HOST: 'unix:///tmp/persistence-harness-no-engine.sock' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^persist: The Docker engine does not answer/);
  });

  test('a report folder that cannot be written is refused at once, before anything starts', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'persist-out-'));
    const file = join(folder, 'a-file');
    await writeFile(file, "the user's own file");
    const readOnly = join(folder, 'read-only');
    await mkdir(readOnly);
    // A read-only file system of our own (root may write anywhere a mode bit forbids it).
    await execa('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]);
    try {
      const cases = [
        ['/proc/x', 'it cannot be created there'],
        [file, 'it names an existing file, not a folder'],
        [join(readOnly, 'reports'), 'the file system is read-only'],
      ] as const;
      for (const [out, reason] of cases) {
        const started = stopwatch();
        const result = await persist(['run', 'postgres', '--out', out], { DOCKER_HOST: 'unix:///tmp/persistence-harness-no-engine.sock' });
        const seconds = started.ms() / 1000;
        expect(result.exitCode).toBe(2);
        expect(result.stderr.trim()).toBe(`persist: The report folder ${out} cannot be written: ${reason}. Choose a writable folder with --out.`);
        // Reported, not asserted: answered before the engine is even asked (it is not there).
        console.info(`--out ${out}: exit 2 after ${seconds.toFixed(2)} s`);
      }
      expect(await readFile(file, 'utf8')).toBe("the user's own file");
    } finally {
      await execa('umount', [readOnly]);
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('ports this machine cannot reach stop the run in seconds, not after every readiness limit', async () => {
    // 192.0.2.1 is a documentation address: the engine cannot publish on it, so nothing would answer.
    const started = stopwatch();
    const result = await persist(['run', 'postgres', '--images', 'local'], { TESTCONTAINERS_HOST_OVERRIDE: '192.0.2.1' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^persist: This machine cannot connect to ports the Docker engine publishes \(the engine could not publish a port on 192\.0\.2\.1: .+\)\. Set TESTCONTAINERS_HOST_OVERRIDE .+ then run `persist doctor`\.$/,
    );
    const containers = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}`] } });
    expect(containers.filter((c) => c.Labels['persistence-harness.purpose'] === 'port-reachability')).toEqual([]);
    console.info(`unreachable ports: exit 2 after ${(started.ms() / 1000).toFixed(1)} s`);
  });

  test('an image that is neither present nor pullable', async () => {
    const result = await persist(['run', 'postgres', '--images', 'local'], { PERSIST_IMAGE_POSTGRES: 'persistence-harness/postgres:no-such-tag' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toMatch(/^persist: Image persistence-harness\/postgres:no-such-tag is not on this machine and could not be pulled\. .+$/);
  });
});

/**
 * What a user had before: an unlabelled volume, and a container using it. Every run and cleanup
 * below must leave both alone.
 */
function withUsersOwnThings(): { suffix: string; expectDecoysUntouched: () => Promise<void> } {
  const suffix = randomBytes(3).toString('hex');
  const decoyVolume = `users-own-volume-${suffix}`;
  let decoyContainer = '';

  beforeAll(async () => {
    // What a user had before: an unlabelled volume, and a container using it.
    await docker.createVolume({ Name: decoyVolume });
    const container = await docker.createContainer({
      Image: 'persistence-harness/toolbox:bookworm',
      Cmd: ['sleep', '600'],
      name: `users-own-container-${suffix}`,
      HostConfig: { Binds: [`${decoyVolume}:/data`] },
    });
    decoyContainer = container.id;
  });

  afterAll(async () => {
    await docker
      .getContainer(decoyContainer)
      .remove({ force: true })
      .catch(() => undefined);
    await docker
      .getVolume(decoyVolume)
      .remove()
      .catch(() => undefined);
  });

  async function expectDecoysUntouched() {
    await expect(docker.getVolume(decoyVolume).inspect()).resolves.toMatchObject({ Name: decoyVolume });
    await expect(docker.getContainer(decoyContainer).inspect()).resolves.toMatchObject({ Id: decoyContainer });
  }
  return { suffix, expectDecoysUntouched };
}

describe('a real run', () => {
  test('a run writes every format, appends its summary for GitHub Actions, and compares with a baseline', async () => {
    const out = await mkdtemp(join(tmpdir(), 'persist-formats-'));
    const summary = join(out, 'step-summary.md');
    await writeFile(summary, 'an earlier step wrote this\n');
    const baseline = join(ROOT, 'src/report/fixtures/sample-report.json');
    const result = await persist(['run', 'volumes', '--images', 'local', '--trials', '1', '--out', join(out, 'report'), '--baseline', baseline], {
      GITHUB_STEP_SUMMARY: summary,
      CI: 'true',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readdir(join(out, 'report'))).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    const report = JSON.parse(await readFile(join(out, 'report', 'report.json'), 'utf8'));
    expect(reportProblems(report)).toEqual([]);
    expect(report.comparison.baseline.runId).toBe('20261128-070808-f0dm');
    // The baseline ran other scenarios: each of its results, and the new one, changed from or to absent.
    expect(report.comparison.verdictChanges).toHaveLength(report.results.length + 8);
    const written = await readFile(summary, 'utf8');
    expect(written.startsWith('an earlier step wrote this\n# Persistence report: run ')).toBe(true);
    expect(written).toContain('## Compared with run 20261128-070808-f0dm');
    expect(written).not.toContain('## Evidence');
    await rm(out, { recursive: true, force: true });
  });
});

describe('cleanup', () => {
  const { suffix, expectDecoysUntouched } = withUsersOwnThings();

  test('Ctrl-C in the middle of a run removes everything the run made, and nothing else', async () => {
    const out = await mkdtemp(join(tmpdir(), 'persist-interrupted-'));
    const child = execa(process.execPath, ['bin/persist.js', 'run', 'postgres', '--images', 'local', '--trials', '1', '--out', out], {
      cwd: ROOT,
      reject: false,
      env: { PERSIST_QUIET: '0' },
    });
    // The run announces its id; wait for it, then for its first container.
    let runId = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      runId ||= /run ([a-z0-9-]+):/.exec(chunk.toString())?.[1] ?? '';
    });
    const deadline = deadlineIn(120_000);
    while (!deadline.passed() && !(runId && (await labelled(runId)).containers > 0)) {
      await sleep(100);
    }
    expect(runId, 'the run never started a container').not.toBe('');
    expect((await labelled(runId)).containers).toBeGreaterThan(0);

    child.kill('SIGINT');
    const result = await child;

    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('cleanup done');
    expect(await labelled(runId)).toEqual({ containers: 0, volumes: 0, networks: 0 });
    await expect(stat(runTempRoot(runId))).rejects.toThrow(/ENOENT/);
    await expectDecoysUntouched();
  });

  test("persist doctor shows a killed run's power-cut disks and persist clean releases them, found by the run id in their paths, and no other", async () => {
    const run = `leftover-disks-${suffix}`;
    const folder = join(runTempRoot(run), 'disk');
    await mkdir(folder, { recursive: true });
    // What a run killed outright leaves: the disk mounted on its loop device, over the XFS on its own.
    await PowerDisk.create(folder);
    const decoyFile = join(await mkdtemp(join(tmpdir(), 'not-ours-')), 'decoy.img');
    await execa('truncate', ['-s', '16M', decoyFile]);
    const decoy = (await execa('losetup', ['--find', '--show', decoyFile])).stdout.trim();
    try {
      const doctor = await persist(['doctor']);
      expect(doctor.stdout).toMatch(/^! leftovers from earlier runs: .*[1-9]\d* power-cut mounts and loop devices/m);
      expect(doctor.stdout).toMatch(/^✔ power cuts can run here/m);
      const result = await persist(['clean', '--run', run]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('released 4 power-cut disk mounts and loop devices');
      const attached = (await execa('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE'])).stdout;
      expect(attached).not.toContain(run);
      expect(attached).toContain(decoy);
      expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(run);
    } finally {
      await execa('losetup', ['--detach', decoy], { reject: false });
      await rm(decoyFile, { force: true });
    }
  });

  test("persist clean removes that run's leftovers only: labelled, or named with its run id", async () => {
    const leftoverRun = `leftover-${suffix}`;
    const otherRunVolume = `ph-leftover-other-${suffix}-decoy-1`;
    await docker.createVolume({ Name: `ph-${leftoverRun}-labelled`, Labels: { [RUN_LABEL]: leftoverRun } });
    await docker.createVolume({ Name: `ph-${leftoverRun}-decoy-1` });
    await docker.createVolume({ Name: otherRunVolume });
    try {
      const result = await persist(['clean', '--run', leftoverRun]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('Removed 0 containers, 2 volumes and 0 networks');
      expect(await labelled(leftoverRun)).toEqual({ containers: 0, volumes: 0, networks: 0 });
      await expect(docker.getVolume(`ph-${leftoverRun}-decoy-1`).inspect()).rejects.toThrow();
      await expect(docker.getVolume(otherRunVolume).inspect()).resolves.toMatchObject({ Name: otherRunVolume });
      await expectDecoysUntouched();
    } finally {
      await docker
        .getVolume(otherRunVolume)
        .remove()
        .catch(() => undefined);
    }
  });
});
