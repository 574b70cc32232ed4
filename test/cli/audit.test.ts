// `persist audit` end to end: the real Compose, the real engine, the worked examples, the options
// Compose users know, and every kind of bad input answered in one sentence with exit 2.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { AuditReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';
import { stopwatch } from '../../src/timing/clock.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GOOD = 'examples/compose/good/compose.yaml';
const PITFALLS = 'examples/compose/pitfalls/compose.yaml';
// Compose interpolates the stand-in image names from this file where no registry is reachable.
const IMAGES = loadConfig().imageSet === 'local' ? ['--env-file', 'examples/compose/stand-ins.env'] : [];

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-audit-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function audit(args: string[], env: Record<string, string> = {}) {
  const out = await mkdtemp(join(scratch, 'report-'));
  const watch = stopwatch();
  const result = await execa(process.execPath, ['bin/persist.js', 'audit', ...args, '--out', out], { cwd: ROOT, reject: false, env });
  const seconds = (watch.ms() / 1000).toFixed(1);
  const report = result.exitCode === 2 ? undefined : (JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as AuditReport);
  return { ...result, report, out, seconds };
}

const rulesBy = (report: AuditReport | undefined) => {
  const byService = new Map<string, string[]>();
  for (const finding of report?.audit?.findings ?? []) byService.set(finding.service, [...(byService.get(finding.service) ?? []), finding.rule]);
  return Object.fromEntries(byService);
};

describe('for code scanning', () => {
  test('--format sarif: stdout is the SARIF document, each finding on the line that declares what it is about; report.sarif beside the others', async () => {
    const result = await audit(['-f', PITFALLS, ...IMAGES, '--format', 'sarif']);
    expect(result.exitCode, result.stderr).toBe(1);
    const log = JSON.parse(result.stdout) as {
      runs: Array<{
        results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }>;
      }>;
    };
    expect(result.stderr).toMatch(/^NOT PASSED: /m);
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(result.report?.audit?.findings.length ?? -1);
    const lines = (await readFile(join(ROOT, PITFALLS), 'utf8')).split('\n');
    for (const [index, finding] of (result.report?.audit?.findings ?? []).entries()) {
      const place = results[index]?.locations[0]?.physicalLocation;
      expect(place?.artifactLocation.uri).toBe(`file://${join(ROOT, PITFALLS)}`);
      // The line named is the service, its image, or the mount the finding is about.
      const line = lines[(place?.region?.startLine ?? 0) - 1] ?? '';
      const declares =
        line.includes(finding.path) || line.trim().startsWith(`${finding.service}:`) || line.trim().startsWith('image:') || line.trim().startsWith('build:');
      expect(declares, `${finding.service} ${finding.rule} at line ${place?.region?.startLine}: ${line}`).toBe(true);
    }
    expect(JSON.parse(await readFile(join(result.out, 'report.sarif'), 'utf8'))).toEqual(log);
  });
});

describe('the worked examples', () => {
  test('good: no error finding, exit 0, every report format written', async () => {
    const result = await audit(['-f', GOOD, ...IMAGES]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(reportProblems(result.report)).toEqual([]);
    expect(result.report?.audit?.services.map((s) => s.service)).toEqual(['cache', 'db', 'web', 'wordpress', 'wordpress-db']);
    expect(result.report?.audit?.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(rulesBy(result.report)).toEqual({ web: ['relative-bind'], wordpress: ['volume-freezes-image-content'] });
    for (const file of ['report.md', 'report.html', 'report.junit.xml']) expect(await readFile(join(result.out, file), 'utf8')).toContain('good');
    expect(result.stdout).toMatch(/^PASSED: 1 warning, 1 note in 5 service\(s\)/m);
    console.info(`good example: exit 0 in ${result.seconds} s`);
  });

  test('pitfalls: each mistake named on its service, nothing on the correct twins, exit 1', async () => {
    const result = await audit(['-f', PITFALLS, ...IMAGES]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(reportProblems(result.report)).toEqual([]);
    expect(rulesBy(result.report)).toEqual({
      'app-layer': ['data-in-writable-layer'],
      archive: ['external-volume', 'relative-bind', 'fixed-volume-name'],
      'broker-hostname': ['hostname-not-pinned'],
      'cache-tmpfs': ['tmpfs-over-data'],
      'db-18-old-mount': ['refuses-old-mount'],
      'db-no-mount': ['unmounted-volume'],
      'db-parent-mount': ['nested-anonymous-volume'],
      'db-upgrade': ['upgrade-moves-data'],
      'mariadb-datadir': ['data-in-writable-layer'],
      'web-frozen': ['volume-freezes-image-content'],
    });
    const view = (name: string) => result.report?.audit?.services.find((s) => s.service === name)?.dataPaths[0];
    expect(view('db-no-mount')?.fates).toMatchObject({ restart: 'kept', 'up --force-recreate': 'kept', 'down + up': 'lost' });
    expect(view('cache-tmpfs')?.fates.restart).toBe('lost');
    expect(view('db-upgrade')?.fates.upgrade).toBe('lost');
    // A plain prune spares a named volume only where the engine speaks API 1.42 or later.
    const plainPrune = result.report?.audit?.prune?.plainRemovesNamed ? 'lost' : 'kept';
    const onNamedVolume = {
      restart: 'kept',
      'up --force-recreate': 'kept',
      'down + up': 'kept',
      'down -v + up': 'lost',
      'down + volume prune': plainPrune,
      'down + volume prune --all': 'lost',
    };
    expect(view('db-ok')?.fates).toEqual(onNamedVolume);
    // A new container is a new node: the volume keeps the files, the server finds none of them.
    expect(view('broker-hostname')?.fates).toEqual({ ...onNamedVolume, 'up --force-recreate': 'lost', 'down + up': 'lost', 'down + volume prune': 'lost' });
    expect(view('broker-ok')?.fates).toEqual(onNamedVolume);
    const junit = await readFile(join(result.out, 'report.junit.xml'), 'utf8');
    expect(junit.match(/<failure /g)?.length).toBe(8);
    console.info(`pitfalls example: exit 1 in ${result.seconds} s`);
  });
});

describe("Compose's own options", () => {
  test('an overlay file carries x-persist; -p names the volumes; a profile adds its service; --project-directory resolves binds', async () => {
    const overlay = join(scratch, 'compose.persist.yaml');
    await writeFile(
      overlay,
      [
        'services:',
        '  tools:',
        '    image: ${APP_IMAGE:-alpine:3.20}',
        '    profiles: [debug]',
        'x-persist:',
        '  services:',
        '    web:',
        '      data: [/var/cache/nginx]',
        '',
      ].join('\n'),
    );
    const project = dirname(join(ROOT, GOOD));
    const result = await audit(['-f', GOOD, '-f', overlay, '-p', 'shop', '--profile', 'debug', '--project-directory', project, ...IMAGES]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(rulesBy(result.report).web).toEqual(['data-in-writable-layer', 'relative-bind']);
    const services = result.report?.audit?.services ?? [];
    expect(services.map((s) => s.service)).toContain('tools');
    expect(services.find((s) => s.service === 'db')?.dataPaths[0]?.storage.source).toBe('shop_db-data');
    expect(services.find((s) => s.service === 'web')?.mounts[0]?.source).toBe(join(project, 'site'));
    // The user's own file is untouched: the overlay only added to what Compose read.
    expect(await readFile(join(ROOT, GOOD), 'utf8')).not.toContain('x-persist');
  });
});

describe('volumes_from', () => {
  test("a service sees the other service's volumes: postgres on a data container's named volume keeps its data", async () => {
    const file = join(scratch, 'volumes-from.yaml');
    await writeFile(
      file,
      [
        'services:',
        '  data:',
        '    image: ${APP_IMAGE:-alpine:3.20}',
        '    volumes: [shared:/var/lib/postgresql/data]',
        '  db:',
        '    image: ${POSTGRES_IMAGE:-postgres:17}',
        '    volumes_from: [data]',
        'volumes:',
        '  shared:',
        '',
      ].join('\n'),
    );
    const result = await audit(['-f', file, ...IMAGES]);
    expect(result.exitCode, result.stdout).toBe(0);
    const db = result.report?.audit?.services.find((s) => s.service === 'db');
    expect(db?.dataPaths[0]?.storage).toMatchObject({ kind: 'named-volume', target: '/var/lib/postgresql/data', source: expect.stringMatching(/_shared$/) });
  });
});

describe('bad input: one sentence, exit 2', () => {
  const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1) ?? '';

  test('no such file', async () => {
    const result = await audit(['-f', 'examples/compose/nope.yaml']);
    expect(result.exitCode).toBe(2);
    expect(lastLine(result.stderr)).toMatch(/^persist: The Compose file examples\/compose\/nope\.yaml does not exist \(looked for .+\)\. Give the path/);
  });

  test("a file Compose rejects: Compose's own message", async () => {
    const file = join(scratch, 'broken.yaml');
    await writeFile(file, 'services:\n  db:\n    imagex: postgres\n');
    const result = await audit(['-f', file]);
    expect(result.exitCode).toBe(2);
    expect(lastLine(result.stderr)).toBe(
      `persist: docker compose config refused the project: validating ${file}: services.db Additional property imagex is not allowed. Fix the Compose file (or the options given), then run persist again.`,
    );
  });

  test.each([
    [
      'a service that does not exist',
      'x-persist:\n  services:\n    dbb:\n      data: [/x]\n',
      'x-persist.services.dbb names no service of this project (its services: db)',
    ],
    [
      'an unknown key',
      'x-persist:\n  services:\n    db:\n      datapath: [/x]\n',
      'x-persist.services.db has an unknown key `datapath` (known: data, ephemeral, seed, fingerprint, ready, backup, restore, verify, upgrade)',
    ],
  ])('x-persist naming %s', async (_, block, sentence) => {
    const file = join(scratch, `x-persist-${sentence.length}.yaml`);
    await writeFile(file, `services:\n  db:\n    image: \${POSTGRES_IMAGE:-postgres:17}\n${block}`);
    const result = await audit(['-f', file, ...IMAGES]);
    expect(result.exitCode).toBe(2);
    expect(lastLine(result.stderr)).toMatch(new RegExp(`^persist: ${sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Fix the x-persist block`));
  });

  test('no Compose: the fix', async () => {
    // A PATH with node and nothing else: neither docker nor its compose plugin can be found.
    const result = await audit(['-f', GOOD], { PATH: dirname(process.execPath) });
    expect(result.exitCode).toBe(2);
    expect(lastLine(result.stderr)).toMatch(
      /^persist: Docker Compose v2 is not available \(the docker command is not installed\)\. Install the `docker compose` plugin/,
    );
  });
});

describe('a project as it sits in its repository', () => {
  const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1) ?? '';

  test('images that are not on this machine: every one named unread with the command that brings it, the rest audited, a report written', async () => {
    const file = join(scratch, 'missing-images.yaml');
    await writeFile(
      file,
      [
        'services:',
        '  db:',
        '    image: persistence-harness/postgres:no-such-tag',
        '  app:',
        '    build: .',
        '    image: persist-example/never-built:1',
        '    volumes: [uploads:/srv/uploads]',
        '  cache:',
        '    image: ${REDIS_IMAGE:-redis:7}',
        '    volumes: [cache:/data]',
        'volumes: { uploads: {}, cache: {} }',
        '',
      ].join('\n'),
    );
    const result = await audit(['-f', file, ...IMAGES]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(reportProblems(result.report)).toEqual([]);
    const facts = Object.fromEntries((result.report?.audit?.services ?? []).map((service) => [service.service, service.facts.source]));
    expect(facts).toEqual({ app: 'unread', cache: 'local-image', db: 'unread' });
    const unread = (result.report?.audit?.findings ?? []).filter((finding) => finding.rule === 'image-unread');
    expect(unread.map((finding) => `${finding.service} ${finding.severity}`)).toEqual(['app warning', 'db warning']);
    const compose = ['docker compose -f', file, ...IMAGES].join(' ');
    expect(unread[0]?.fix).toBe(`Run \`${compose} build app\` and audit again, or name the service's data paths in x-persist \`data\`.`);
    expect(unread[1]?.fix).toContain(`pull db\``);
    // The terminal names what it read of each image, or that it could not.
    expect(result.stdout).toMatch(
      /^db {2}persistence-harness\/postgres:no-such-tag {2}\(unread: not on this machine; registry docker\.io .*; not in the catalogue\)$/m,
    );
    expect(result.stdout).toMatch(/^ {2}no data path known: its image was not read/m);
    expect(result.stdout).toMatch(/^PASSED: 2 warnings in 3 service\(s\), 2 of them unread,/m);
    expect(result.stdout).toMatch(/^cache {2}\S+ \(known as redis\) {2}\((version \S+, )?image [0-9a-f]{12}, on this machine\)$/m);
  });

  test('a project with no service left to audit is no verdict: exit 2, and the report asked for is still written in every format', async () => {
    const file = join(scratch, 'all-behind-a-profile.yaml');
    await writeFile(file, 'services:\n  db:\n    image: postgres:17\n    profiles: [later]\n');
    const result = await audit(['-f', file]);
    expect(result.exitCode).toBe(2);
    expect(lastLine(result.stderr)).toMatch(/^persist: The project \S+ has no service to audit\. Give the Compose files that define your services/);
    expect(result.stdout).toMatch(/^NOT PASSED: the audit could not run; report: .+\/report\.md$/m);
    const report = JSON.parse(await readFile(join(result.out, 'report.json'), 'utf8')) as AuditReport;
    expect(reportProblems(report)).toEqual([]);
    expect(report.harnessErrors[0]).toMatch(/has no service to audit/);
    expect(await readFile(join(result.out, 'report.junit.xml'), 'utf8')).toMatch(/<error message="The project \S+ has no service to audit/);
  });
});
