// `persist check` end to end on the worked examples: a copy of each project run through
// restart, up --force-recreate, down + up and down -v + up by Compose, every data path probed,
// every cell judged against what the user needs and what the audit predicted.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Report } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { stopwatch } from '../../src/timing/clock.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMAGES = loadConfig().imageSet === 'local' ? ['--env-file', 'examples/compose/stand-ins.env'] : [];
const docker = new Docker();
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-check-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function check(file: string) {
  const out = join(scratch, file.replace(/\W+/g, '-'));
  const watch = stopwatch();
  const result = await execa(process.execPath, ['bin/persist.js', 'check', '-f', file, ...IMAGES, '--out', out], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1' },
  });
  const report =
    result.exitCode === 2 && !result.stdout.includes('report:') ? undefined : (JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report);
  return { ...result, report, seconds: (watch.ms() / 1000).toFixed(1) };
}

/** Nothing of the copy remains: no container, volume or network of its project. */
async function copyLeftovers(project: string) {
  const label = { label: [`com.docker.compose.project=${project}`] };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: label }),
    docker.listVolumes(),
    docker.listNetworks({ filters: label }),
  ]);
  return [
    ...containers.map((c) => c.Id),
    ...(volumes.Volumes ?? []).filter((v) => v.Name.startsWith(`${project}_`)).map((v) => v.Name),
    ...networks.map((n) => n.Name),
  ];
}

describe('persist check on the worked examples', () => {
  test('good: every data path keeps its data through every command, and down -v empties it, as predicted', async () => {
    const result = await check('examples/compose/good/compose.yaml');
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const cells = result.report?.check?.cells ?? [];
    expect(reportProblems(result.report)).toEqual([]);
    expect(cells.length).toBe(4 * 4);
    expect(cells.filter((cell) => cell.status === 'failed' || cell.surprise)).toEqual([]);
    expect(cells.filter((cell) => cell.lifecycle === 'down -v + up').map((cell) => cell.observed)).toEqual(['lost', 'lost', 'lost', 'lost']);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    console.info(`check good: exit 0 in ${result.seconds} s`);
  });

  test('pitfalls: each loss observed exactly where the audit predicted it, and nowhere else', async () => {
    const result = await check('examples/compose/pitfalls/compose.yaml');
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
    const cells = result.report?.check?.cells ?? [];
    expect(cells.filter((cell) => cell.surprise)).toEqual([]);
    const failures = [...new Set(cells.filter((cell) => cell.status === 'failed').map((cell) => `${cell.service} ${cell.lifecycle} ${cell.observed}`))];
    expect(failures.sort()).toEqual(
      [
        'app-layer up --force-recreate lost',
        'app-layer down + up lost',
        'cache-tmpfs restart lost',
        'cache-tmpfs up --force-recreate lost',
        'cache-tmpfs down + up lost',
        'db-18-old-mount restart unavailable',
        'db-18-old-mount up --force-recreate unavailable',
        'db-18-old-mount down + up unavailable',
        'db-18-old-mount down -v + up unavailable',
        'db-no-mount down + up lost',
        'db-parent-mount down + up lost',
        'mariadb-datadir up --force-recreate lost',
        'mariadb-datadir down + up lost',
      ].sort(),
    );
    for (const name of ['db-ok', 'app-ok', 'db-upgrade'])
      expect(
        cells.filter((cell) => cell.service === name && cell.status === 'failed'),
        name,
      ).toEqual([]);
    expect(await copyLeftovers(result.report?.check?.copyProject ?? '')).toEqual([]);
    console.info(`check pitfalls: exit 1 in ${result.seconds} s`);
  });
});
