import { describe, expect, test } from 'vitest';
import { runtimeWith } from './runtime-for-tests.ts';
import { dataPathsOf, flagValue, mayBeCache, recognise, type ServiceRuntime } from './data-paths.ts';
import { repositoryOf } from './image-reference.ts';

const runtime = (over: Partial<ServiceRuntime> = {}): ServiceRuntime => runtimeWith({ imageEntrypoint: ['docker-entrypoint.sh'], ...over });

describe('recognising an image', () => {
  test.each([
    ['postgres:17', 'postgres'],
    ['docker.io/library/postgres:18@sha256:abc', 'postgres'],
    ['registry.example:5000/postgres', 'postgres'],
    ['persistence-harness/postgres:17-moved-pgdata', 'postgres'],
    ['mariadb:11', 'mysql'],
    ['mysql', 'mysql'],
    ['redis:7-alpine', 'redis'],
    ['wordpress:6', 'wordpress'],
    ['nginx:1.27', 'nginx'],
    ['bitnami/postgresql:17', undefined],
    ['alpine:3.20', undefined],
    ['myorg/postgres', undefined],
  ])('%s', (reference, service) => {
    expect(recognise(reference)).toBe(service);
  });

  test('the repository drops registry, library/, tag and digest', () => {
    expect(repositoryOf('localhost/app:1')).toBe('app');
    expect(repositoryOf('ghcr.io/org/app@sha256:1')).toBe('org/app');
  });

  test('a flag as --flag=VALUE or --flag VALUE', () => {
    expect(flagValue(['mysqld', '--datadir=/srv'], '--datadir')).toBe('/srv');
    expect(flagValue(['redis-server', '--dir', '/x'], '--dir')).toBe('/x');
    expect(flagValue(['redis-server', '--dirt', '/x'], '--dir')).toBeUndefined();
  });
});

describe('where a service keeps its data', () => {
  test("postgres: the service's PGDATA over the image's", () => {
    const image = runtime({ imageEnv: { PGDATA: '/var/lib/postgresql/18/docker' } });
    expect(dataPathsOf('postgres', image, [])).toEqual([{ path: '/var/lib/postgresql/18/docker', why: 'PGDATA set by the image', origin: 'image-setting' }]);
    expect(dataPathsOf('postgres', { ...image, environment: { PGDATA: '/pg' } }, [])[0]).toMatchObject({ path: '/pg', origin: 'service-setting' });
    expect(dataPathsOf('postgres', runtime(), [])[0]).toMatchObject({ path: '/var/lib/postgresql/data', origin: 'documented' });
  });

  test("mysqld: --datadir in the service's command, else the image's", () => {
    expect(dataPathsOf('mysql', runtime({ command: ['--datadir=/srv/db'] }), [])[0]).toMatchObject({ path: '/srv/db', origin: 'service-setting' });
    expect(dataPathsOf('mysql', runtime({ imageCmd: ['mysqld', '--datadir', '/img'] }), [])[0]).toMatchObject({ path: '/img', origin: 'image-setting' });
    expect(dataPathsOf('mysql', runtime({ imageCmd: ['mysqld'] }), [])[0]?.path).toBe('/var/lib/mysql');
  });

  test('redis: --dir, else the working directory', () => {
    expect(dataPathsOf('redis', runtime({ imageWorkingDir: '/data' }), [])[0]?.path).toBe('/data');
    expect(dataPathsOf('redis', runtime({ imageWorkingDir: '/data', command: ['redis-server', '--dir', 'aof'] }), [])[0]?.path).toBe('/data/aof');
  });

  test('an unknown image: every VOLUME it declares; x-persist paths for any image, once each', () => {
    const paths = dataPathsOf(undefined, runtime({ imageVolumes: ['/a', '/b'] }), ['/b/', '/c']);
    expect(paths.map((p) => [p.path, p.origin])).toEqual([
      ['/a', 'image-volume'],
      ['/b', 'image-volume'],
      ['/c', 'x-persist'],
    ]);
    expect(dataPathsOf('nginx', runtime(), [])).toEqual([]);
  });
});

describe('a server that may be a cache', () => {
  const redis = (command: string[] | null): ServiceRuntime => ({ ...runtime({ imageCmd: ['redis-server'] }), command });
  test('Redis with none of its persistence options on may be a cache', () => {
    expect(mayBeCache('redis', redis(null))).toBe(true);
    expect(mayBeCache('redis', redis(['redis-server', '--appendonly', 'no']))).toBe(true);
    expect(mayBeCache('redis', redis(['redis-server', '--save', '']))).toBe(true);
  });
  test('its command turning persistence on says it keeps data; a server never run as a cache is never one', () => {
    expect(mayBeCache('redis', redis(['redis-server', '--appendonly', 'yes']))).toBe(false);
    expect(mayBeCache('redis', redis(['redis-server', '--save', '60 1']))).toBe(false);
    expect(mayBeCache('postgres', redis(null))).toBe(false);
    expect(mayBeCache(undefined, redis(null))).toBe(false);
  });
});

describe('scratch VOLUMEs', () => {
  test('a VOLUME at /tmp or /run is scratch space, not data; one beside it still is', () => {
    const paths = dataPathsOf(undefined, runtime({ imageVolumes: ['/tmp', '/var/tmp/', '/run', '/srv/uploads'] }), []);
    expect(paths.map((path) => path.path)).toEqual(['/srv/uploads']);
  });

  test('a path x-persist declares under /tmp is data all the same', () => {
    expect(dataPathsOf(undefined, runtime({ imageVolumes: ['/tmp'] }), ['/tmp']).map((path) => path.origin)).toEqual(['x-persist']);
  });
});
