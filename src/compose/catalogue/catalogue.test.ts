import { describe, expect, test } from 'vitest';
import { runtimeWith } from '../runtime-for-tests.ts';
import { SERVICE_NAMES } from '../../services/registry.ts';
import { dataPathsOf, recognise, type ServiceRuntime } from '../data-paths.ts';
import { catalogueEntry, layoutFor, majorOf } from './catalogue.ts';
import { CATALOGUE } from './entries.ts';

const runtime = (over: Partial<ServiceRuntime> = {}): ServiceRuntime => runtimeWith({ imageEntrypoint: [], ...over });

/** The data paths the catalogue gives an image on this runtime (its VOLUMEs as the catalogue records them). */
function pathsOf(reference: string, over: Partial<ServiceRuntime> = {}): string[] {
  const entry = catalogueEntry(reference);
  if (!entry) throw new Error(`${reference} is not in the catalogue`);
  const layout = layoutFor(entry, undefined);
  const facts = runtime({ imageVolumes: [...layout.volumes], imageEnv: { ...(layout.env ?? {}) }, ...over });
  return dataPathsOf(recognise(reference), facts, [], { entry, layout }).map((path) => path.path);
}

describe('the catalogue as data', () => {
  test('has at least 40 entries', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CATALOGUE.map((entry) => [entry.repositories[0], entry] as const))('%s cites the file its facts were read from, pinned to a commit', (_, entry) => {
    expect(entry.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(entry.source.url).toMatch(/^https:\/\//);
    expect(entry.source.url).toContain(entry.source.commit);
  });

  test.each(CATALOGUE.map((entry) => [entry.repositories[0], entry] as const))('%s says where the data is, or leaves it to a service profile', (_, entry) => {
    expect(entry.layouts.length).toBeGreaterThan(0);
    expect(entry.layouts[entry.layouts.length - 1]?.until).toBeUndefined();
    for (const layout of entry.layouts.slice(0, -1)) expect(layout.until).toMatch(/^\d+(\.\d+)?$/);
    for (const layout of entry.layouts) {
      if (entry.profile) expect(SERVICE_NAMES).toContain(entry.profile);
      else expect(layout.dataPaths).toBeDefined();
      for (const path of layout.dataPaths ?? []) expect(path.path === '' ? path.flagPattern : path.path).toBeTruthy();
    }
  });

  test('no repository is in two entries', () => {
    const names = CATALOGUE.flatMap((entry) => entry.repositories);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('looking an image up', () => {
  test.each([
    ['postgres:17', 'postgres'],
    ['docker.io/library/mongo:7', 'mongo'],
    ['lscr.io/linuxserver/sonarr:latest', 'linuxserver/*'],
    ['ghcr.io/linuxserver/plex', 'linuxserver/*'],
    ['quay.io/keycloak/keycloak:26.0', 'keycloak/keycloak'],
    ['mcr.microsoft.com/mssql/server:2022-latest', 'mssql/server'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch'],
  ])('%s', (reference, first) => {
    expect(catalogueEntry(reference)?.repositories[0]).toBe(first);
  });

  test('an image it does not know has no entry', () => {
    expect(catalogueEntry('myorg/backend:1.4')).toBeUndefined();
  });

  test('images built on postgres are judged as postgres', () => {
    expect(recognise('postgis/postgis:17-3.5')).toBe('postgres');
    expect(recognise('timescale/timescaledb:latest-pg17')).toBe('postgres');
  });
});

describe('versions', () => {
  test.each([
    ['17', 17],
    ['17.2', 17],
    ['18-alpine', 18],
    ['1:11.4.2+maria~ubu2404', 11],
    ['v2.7', 2],
    ['latest', undefined],
    ['alpine', undefined],
    [undefined, undefined],
  ])('%s is major %s', (version, major) => {
    expect(majorOf(version)).toBe(major);
  });

  test('postgres 17 has the former layout, 18 and a floating tag the current one', () => {
    const entry = catalogueEntry('postgres');
    if (!entry) throw new Error('postgres is catalogued');
    expect(layoutFor(entry, '17').volumes).toEqual(['/var/lib/postgresql/data']);
    expect(layoutFor(entry, '16-alpine').env?.PGDATA).toBe('/var/lib/postgresql/data');
    expect(layoutFor(entry, '18').volumes).toEqual(['/var/lib/postgresql']);
    expect(layoutFor(entry, 'latest').refusesFormerMount).toBe(true);
  });

  test('a layout can end at a minor version: Valkey dropped VOLUME /data after 8.0, and a tag that stops at 8 floats past it', () => {
    const entry = catalogueEntry('valkey/valkey:8.0')!;
    expect(layoutFor(entry, '8.0.2').volumes).toEqual(['/data']);
    expect(layoutFor(entry, '7.2-alpine').volumes).toEqual(['/data']);
    expect(layoutFor(entry, '8.1.1').volumes).toEqual([]);
    expect(layoutFor(entry, '8').volumes).toEqual([]);
    expect(layoutFor(entry, '9').volumes).toEqual([]);
  });
});

describe('where a catalogued image keeps its data', () => {
  test('Grafana and Elasticsearch declare no VOLUME, and still keep data', () => {
    expect(pathsOf('grafana/grafana:11.2.0')).toEqual(['/var/lib/grafana']);
    expect(pathsOf('docker.elastic.co/elasticsearch/elasticsearch:8.15.0')).toEqual(['/usr/share/elasticsearch/data']);
  });

  test("Grafana's data path follows GF_PATHS_DATA where the service sets it", () => {
    expect(pathsOf('grafana/grafana', { environment: { GF_PATHS_DATA: '/srv/grafana' } })).toEqual(['/srv/grafana']);
  });

  test('a standalone mongod keeps data in /data/db only; a config server in /data/configdb', () => {
    expect(pathsOf('mongo:7')).toEqual(['/data/db']);
    expect(pathsOf('mongo:7', { command: ['mongod', '--configsvr', '--replSet', 'cfg'] })).toEqual(['/data/configdb']);
  });

  test('--dbpath moves the data', () => {
    expect(pathsOf('mongo:7', { command: ['mongod', '--dbpath', '/srv/mongo'] })).toEqual(['/srv/mongo']);
  });

  test('Traefik keeps nothing, unless an ACME resolver stores its certificates', () => {
    expect(pathsOf('traefik:v3.1')).toEqual([]);
    expect(pathsOf('traefik:v3.1', { command: ['--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json'] })).toEqual(['/letsencrypt/acme.json']);
  });

  test('Prometheus keeps data where --storage.tsdb.path says', () => {
    expect(pathsOf('prom/prometheus')).toEqual(['/prometheus']);
    expect(pathsOf('prom/prometheus', { command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/data'] })).toEqual(['/data']);
  });

  test('a VOLUME the image declares that the catalogue does not list is a data path too', () => {
    const entry = catalogueEntry('gitea/gitea');
    if (!entry) throw new Error('gitea is catalogued');
    const layout = layoutFor(entry, undefined);
    const paths = dataPathsOf(undefined, runtime({ imageVolumes: ['/data', '/extra'] }), [], { entry, layout });
    expect(paths.map((path) => [path.path, path.origin])).toEqual([
      ['/data', 'documented'],
      ['/extra', 'image-volume'],
    ]);
  });

  test('a memcached keeps nothing', () => {
    expect(pathsOf('memcached:1.6')).toEqual([]);
  });
});
