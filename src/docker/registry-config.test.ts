import { describe, expect, test } from 'vitest';
import { factsOfConfig, isLoopback, parseReference } from './registry-config.ts';

describe('an image reference as Docker reads it', () => {
  test.each([
    ['postgres', { host: 'docker.io', repository: 'library/postgres', tag: 'latest' }],
    ['postgres:17-alpine', { host: 'docker.io', repository: 'library/postgres', tag: '17-alpine' }],
    ['grafana/grafana:11.2.0', { host: 'docker.io', repository: 'grafana/grafana', tag: '11.2.0' }],
    ['127.0.0.1:5000/team/db:1', { host: '127.0.0.1:5000', repository: 'team/db', tag: '1' }],
    ['localhost/app', { host: 'localhost', repository: 'app', tag: 'latest' }],
    ['ghcr.io/org/app@sha256:abc', { host: 'ghcr.io', repository: 'org/app', digest: 'sha256:abc' }],
  ])('%s', (reference, parsed) => {
    expect(parseReference(reference)).toEqual(parsed);
  });

  test('plain HTTP only to a registry on loopback, as Docker allows by default', () => {
    expect(isLoopback('127.0.0.1:5000')).toBe(true);
    expect(isLoopback('localhost:5000')).toBe(true);
    expect(isLoopback('[::1]:5000')).toBe(true);
    expect(isLoopback('registry.example:5000')).toBe(false);
  });
});

describe('a configuration blob', () => {
  test('gives the facts docker image inspect would, its ID the digest of the blob', () => {
    const raw = JSON.stringify({
      created: '2026-11-01T00:00:00Z',
      config: {
        Env: ['PGDATA=/var/lib/postgresql/18/docker', 'A=b=c'],
        Volumes: { '/var/lib/postgresql': {} },
        Entrypoint: ['docker-entrypoint.sh'],
        Cmd: ['postgres'],
      },
    });
    const facts = factsOfConfig('postgres:18', raw);
    expect(facts.volumes).toEqual(['/var/lib/postgresql']);
    expect(facts.env).toEqual({ PGDATA: '/var/lib/postgresql/18/docker', A: 'b=c' });
    expect(facts.defaultCommand).toEqual(['docker-entrypoint.sh', 'postgres']);
    expect(facts.workingDir).toBe('/');
    expect(facts.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
