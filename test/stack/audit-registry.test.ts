// The audit's facts about images that are not on this machine, read for real: from the reference
// registry started on loopback (manifest digest by HEAD, the configuration blob, a cache by
// digest), from a Dockerfile over a base in that registry, and named unread with the reason where
// neither the registry nor anything else has them. Nothing is pulled: the engine never gets them.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditProject } from '../../src/compose/audit-project.ts';
import { inspectImage } from '../../src/docker/engine.ts';
import { freePortOn } from '../../src/docker/free-port.ts';
import { preflight, scenarioKit } from '../../src/scenario-kit.ts';
import type { AuditReport } from '../../src/report/model.ts';
import { type LocalRegistry, startLocalRegistry } from './local-registry.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

const { config, scope } = scenarioKit();
let registry: LocalRegistry;
let folder = '';
let cacheDir = '';
/** A port on loopback nothing listens on: a registry there cannot be reached. */
let closed = 0;

/** The test's own reference in the registry: never tagged on this machine. */
const ref = (path: string) => `${registry.host}/${path}`;

beforeAll(async () => {
  await preflight(['postgres']);
  registry = await startLocalRegistry();
  closed = (await freePortOn('127.0.0.1')) ?? 0;
  await registry.push(config.images.postgres.reference, 'postgres:17');
  folder = await mkdtemp(join(tmpdir(), 'persist-audit-registry-'));
  cacheDir = join(folder, 'cache');
  await mkdir(join(folder, 'app'));
  await writeFile(
    join(folder, 'app', 'Dockerfile'),
    [`ARG BASE=${ref('postgres:17')}`, 'FROM ${BASE}', 'ENV APP_FILES=/srv/uploads', 'VOLUME ${APP_FILES}', ''].join('\n'),
  );
  await writeFile(
    join(folder, 'compose.yaml'),
    [
      'services:',
      '  db:',
      `    image: ${ref('postgres:17')}`,
      '    volumes: [db:/var/lib/postgresql/data]',
      '  loose:',
      `    image: ${ref('postgres:17')}`,
      '  app:',
      '    build: ./app',
      '  missing:',
      `    image: ${ref('team/never-pushed:1')}`,
      '  nowhere:',
      `    image: 127.0.0.1:${closed}/team/app:1`,
      'volumes:',
      '  db:',
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  await rm(folder, { recursive: true, force: true });
});

const audit = () =>
  auditProject({ files: [join(folder, 'compose.yaml')], profiles: [], envFiles: [] }, scope.runId, { registry: { timeoutMs: 10_000, cacheDir } });

describe('an image read from its registry, not pulled', () => {
  test('its VOLUMEs and ENV judge the service, and the report says where they came from', async () => {
    const result = await audit();
    const db = result.services.find((service) => service.service === 'db');
    expect(db?.facts.source).toBe('registry');
    expect(db?.facts.from).toMatch(new RegExp(`^${registry.host.replace(/\./g, '\\.')}/postgres@sha256:[0-9a-f]{64}$`));
    // The configuration's digest is the image ID Docker gives the same image.
    expect(db?.imageId).toBe((await inspectImage(config.images.postgres.reference))?.id);
    expect(db?.dataPaths.map((path) => [path.path, path.storage.kind, path.why])).toEqual([
      ['/var/lib/postgresql/data', 'named-volume', 'PGDATA set by the image'],
    ]);
    expect(result.findings.filter((finding) => finding.service === 'db')).toEqual([]);
    // The negative twin: the same image unmounted keeps its data in the VOLUME's anonymous volume.
    const loose = result.findings.filter((finding) => finding.service === 'loose').map((finding) => finding.rule);
    expect(loose).toEqual(['unmounted-volume']);
    // Nothing was pulled.
    expect(await inspectImage(ref('postgres:17'))).toBeUndefined();
  });

  test('the digest is asked with HEAD, and a configuration already read is not fetched again', async () => {
    const before = (await registry.requests()).length;
    const result = await audit();
    const requests = (await registry.requests()).slice(before);
    expect(result.services.find((service) => service.service === 'db')?.facts.from).toMatch(/, cached$/);
    expect(requests.filter((request) => request.includes('/postgres/'))).toEqual(['HEAD /v2/postgres/manifests/17']);
  });

  test('a service that builds is read from its Dockerfile, over its base from the registry', async () => {
    const result = await audit();
    const app = result.services.find((service) => service.service === 'app');
    expect(app?.facts).toMatchObject({ source: 'dockerfile', from: `app/Dockerfile, on ${ref('postgres:17')} (registry)` });
    expect(app?.dataPaths.map((path) => path.path)).toEqual(['/srv/uploads', '/var/lib/postgresql/data']);
  });

  test('an image the registry does not have, or a registry that cannot be reached, is named unread with the reason', async () => {
    const result = await audit();
    const facts = (name: string) => result.services.find((service) => service.service === name)?.facts;
    expect(facts('missing')).toMatchObject({ source: 'unread' });
    expect(facts('missing')?.from).toContain(`registry: ${registry.host} has no team/never-pushed:1`);
    expect(facts('nowhere')?.from, facts('nowhere')?.from).toContain(`registry 127.0.0.1:${closed} could not be reached (ECONNREFUSED)`);
    const unread = result.findings.filter((finding) => finding.rule === 'image-unread').map((finding) => finding.service);
    expect(unread.sort()).toEqual(['missing', 'nowhere']);
  });
});

describe('a registry that asks for a login', () => {
  let private_: LocalRegistry;
  let project = '';
  const login = { user: 'team', password: `pw-${scope.runId}` };
  beforeAll(async () => {
    private_ = await startLocalRegistry(login);
    await private_.push(config.images.redis.reference, 'team/cache:7');
    project = await mkdtemp(join(tmpdir(), 'persist-audit-login-'));
    await writeFile(join(project, 'compose.yaml'), ['services:', '  cache:', `    image: ${private_.host}/team/cache:7`, ''].join('\n'));
    // What `docker login` leaves: a config.json with the registry's auth, in DOCKER_CONFIG.
    await mkdir(join(project, 'docker-config'));
    const auth = Buffer.from(`${login.user}:${login.password}`).toString('base64');
    await writeFile(join(project, 'docker-config', 'config.json'), JSON.stringify({ auths: { [private_.host]: { auth } } }));
  }, 120_000);
  afterAll(async () => {
    await private_?.stop();
    await rm(project, { recursive: true, force: true });
  });

  /** The audit as a user runs it, with a Docker config of the test's own (never the machine's). */
  async function auditWith(dockerConfig: string) {
    const out = join(project, `out-${dockerConfig.split('/').pop()}`);
    const result = await execa(process.execPath, [join(ROOT, 'bin/persist.js'), 'audit', '-f', join(project, 'compose.yaml'), '--out', out], {
      reject: false,
      env: { DOCKER_CONFIG: dockerConfig, XDG_CACHE_HOME: join(project, 'cache') },
    });
    return { ...result, report: JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as AuditReport };
  }

  test("the image is read with the user's docker login; without it, it is unread and says why", async () => {
    const logged = await auditWith(join(project, 'docker-config'));
    expect(logged.report.audit?.services[0]?.facts.source, logged.stdout).toBe('registry');
    expect(logged.report.audit?.services[0]?.dataPaths.map((path) => path.path)).toEqual(['/data']);
    const anonymous = await auditWith(join(project, 'no-docker-config'));
    expect(anonymous.report.audit?.services[0]?.facts.source).toBe('unread');
    expect(anonymous.report.audit?.services[0]?.facts.from).toMatch(/registry: .*(unauthorized|authentication required)/);
    // The password is never printed.
    expect(`${logged.stdout}${logged.stderr}${anonymous.stdout}${anonymous.stderr}`).not.toContain(login.password);
  });
});
