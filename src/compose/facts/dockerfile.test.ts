import { describe, expect, test } from 'vitest';
import type { ImageFacts } from '../../docker/engine.ts';
import { type BaseFacts, readDockerfile, substitute } from './dockerfile.ts';

const NODE: ImageFacts = {
  reference: 'node:22',
  id: 'sha256:1',
  created: '',
  labels: {},
  defaultCommand: ['docker-entrypoint.sh', 'node'],
  volumes: [],
  env: { NODE_VERSION: '22.11.0', PATH: '/usr/local/bin:/usr/bin:/bin' },
  workingDir: '/',
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['node'],
  user: '',
};

/** Bases as a test gives them: node:22 read, anything else unread; records what was asked. */
function bases(known: Record<string, ImageFacts> = { 'node:22': NODE }) {
  const asked: string[] = [];
  const baseOf = async (image: string): Promise<BaseFacts> => {
    asked.push(image);
    return known[image] ? { facts: known[image], from: 'local-image' } : { facts: undefined, from: 'unread' };
  };
  return { asked, baseOf };
}

const build = (over: Partial<{ target: string; args: Record<string, string | null> }> = {}) => ({ name: 'app/Dockerfile', args: {}, ...over });

describe('reading a Dockerfile', () => {
  test('the target stage’s USER, its ARGs substituted; a stage without one runs as its base does', async () => {
    const { baseOf } = bases();
    const text = 'FROM node:22 AS build\nUSER builder\nFROM node:22 AS app\nARG APP_UID=1001\nUSER ${APP_UID}:0\nFROM app AS debug\n';
    expect((await readDockerfile(text, build({ target: 'app' }), baseOf)).facts.user).toBe('1001:0');
    expect((await readDockerfile(text, build({ target: 'debug' }), baseOf)).facts.user).toBe('1001:0');
    expect((await readDockerfile('FROM node:22\n', build(), baseOf)).facts.user).toBe('');
  });

  test("the stage's own VOLUME, ENV and WORKDIR on top of its base's facts", async () => {
    const { baseOf } = bases();
    const read = await readDockerfile(
      'FROM node:22\nENV DATA_DIR=/srv/data\nWORKDIR /srv\nWORKDIR app\nVOLUME $DATA_DIR\nCMD ["node", "server.js"]\n',
      build(),
      baseOf,
    );
    expect(read.facts.volumes).toEqual(['/srv/data']);
    expect(read.facts.env).toMatchObject({ DATA_DIR: '/srv/data', NODE_VERSION: '22.11.0' });
    expect(read.facts.workingDir).toBe('/srv/app');
    expect(read.facts.entrypoint).toEqual(['docker-entrypoint.sh']);
    expect(read.facts.cmd).toEqual(['node', 'server.js']);
    expect(read.from).toBe('app/Dockerfile, on node:22 (local-image)');
  });

  test('a multi-stage build is read at its last stage by default, at the target when given', async () => {
    const text = 'FROM node:22 AS build\nVOLUME /build-cache\nFROM nginx:1.27 AS web\nFROM build AS api\nVOLUME ["/var/lib/api"]\n';
    const last = await readDockerfile(text, build(), bases().baseOf);
    expect(last.facts.volumes).toEqual(['/build-cache', '/var/lib/api']);
    expect(last.from).toBe('app/Dockerfile (stage api), on node:22 (local-image)');
    const { asked, baseOf } = bases();
    const web = await readDockerfile(text, build({ target: 'web' }), baseOf);
    expect(web.facts.volumes).toEqual([]);
    expect(asked).toEqual(['nginx:1.27']);
    expect(web.from).toContain('nginx:1.27 (unread)');
  });

  test("build args from the service choose the base and override the Dockerfile's defaults", async () => {
    const { asked, baseOf } = bases();
    const text = 'ARG BASE=node:20\nARG DATA=/data\nFROM ${BASE}\nARG DATA\nVOLUME ${DATA}\n';
    const read = await readDockerfile(text, build({ args: { BASE: 'node:22', DATA: '/var/lib/app' } }), baseOf);
    expect(asked).toEqual(['node:22']);
    expect(read.facts.volumes).toEqual(['/var/lib/app']);
  });

  test('a global ARG redeclared in the stage keeps its default', async () => {
    const read = await readDockerfile('ARG DATA=/data\nFROM scratch\nARG DATA\nVOLUME $DATA\n', build(), bases().baseOf);
    expect(read.facts.volumes).toEqual(['/data']);
  });

  test('ENTRYPOINT drops the inherited CMD; shell form runs in /bin/sh -c', async () => {
    const read = await readDockerfile('FROM node:22\nENTRYPOINT exec node /app/index.js\n', build(), bases().baseOf);
    expect(read.facts.entrypoint).toEqual(['/bin/sh', '-c', 'exec node /app/index.js']);
    expect(read.facts.cmd).toEqual([]);
  });

  test('a target that is not there, or no FROM, is an error that says so', async () => {
    await expect(readDockerfile('FROM node:22\n', build({ target: 'prod' }), bases().baseOf)).rejects.toThrow('app/Dockerfile has no stage named prod');
    await expect(readDockerfile('# empty\n', build(), bases().baseOf)).rejects.toThrow('no FROM');
  });
});

describe('substitution as the builder does it', () => {
  test.each([
    ['$A/x', { A: '/a' }, '/a/x'],
    ['${A}', {}, ''],
    ['${A:-/default}', {}, '/default'],
    ['${A:-/default}', { A: '/set' }, '/set'],
    ['${A:+yes}', { A: '1' }, 'yes'],
    ['${A:+yes}', {}, ''],
  ])('%s', (text, vars, expected) => {
    expect(substitute(text, vars)).toBe(expected);
  });
});
