import { describe, expect, test } from 'vitest';
import { tagOf, withoutTag } from './image-reference.ts';
import { floatingTagFinding, keepsData, pinnedTag, pinOf, type TaggedService } from './tag-pin.ts';

describe('what a tag pins', () => {
  test('no tag is latest; a registry port is not a tag; a digest pins', () => {
    expect(tagOf('postgres')).toBe('latest');
    expect(tagOf('127.0.0.1:5000/team/postgres')).toBe('latest');
    expect(tagOf('127.0.0.1:5000/team/postgres:17')).toBe('17');
    expect(pinOf('postgres:17@sha256:abc', true)).toEqual({ kind: 'digest' });
  });

  test('for a known service a tag without a version floats; one with a version pins', () => {
    for (const image of ['postgres', 'postgres:latest', 'postgres:alpine', 'mariadb:lts']) expect(pinOf(image, true).kind, image).toBe('floating');
    for (const image of ['postgres:17', 'postgres:17-alpine', 'mariadb:10.11', 'redis:7.4.1-bookworm']) expect(pinOf(image, true).kind, image).toBe('version');
  });

  test('for an image the harness does not know only latest floats: `bookworm` may be its very version', () => {
    expect(pinOf('mongo', false).kind).toBe('floating');
    expect(pinOf('grafana/grafana:latest', false).kind).toBe('floating');
    expect(pinOf('persistence-harness/toolbox:bookworm', false).kind).toBe('version');
  });

  test('the pin suggested follows the version the image announces, in its own series', () => {
    expect(withoutTag('127.0.0.1:5000/pg:alpine')).toBe('127.0.0.1:5000/pg');
    expect(pinnedTag('postgres', 'postgres', '17.2-1.pgdg120+1')).toBe('postgres:17');
    expect(pinnedTag('mariadb', 'mysql', '1:11.4.2+maria~ubu2204')).toBe('mariadb:11.4');
    expect(pinnedTag('mongo', undefined, undefined)).toBeUndefined();
  });
});

describe('the floating-tag warning', () => {
  const postgres: TaggedService = { service: 'db', image: 'postgres:alpine', builds: false, recognisedAs: 'postgres', version: '18.1', stateful: true };

  test('a stateful service on a floating tag: what the tag is today, and the pin', () => {
    const finding = floatingTagFinding(postgres);
    expect(finding).toMatchObject({ service: 'db', severity: 'warning', rule: 'floating-tag', path: 'postgres:alpine' });
    expect(finding?.message).toContain('today it is version 18.1');
    expect(finding?.fix).toBe('Pin the version your data was made with, `postgres:18`, and upgrade deliberately.');
    expect(floatingTagFinding({ ...postgres, image: 'mongo', recognisedAs: undefined, version: undefined })?.message).toContain(
      'what it is today was not read',
    );
  });

  test('its correct twins: a pinned tag, a service that keeps nothing, an image the project builds', () => {
    expect(floatingTagFinding({ ...postgres, image: 'postgres:17' })).toBeUndefined();
    expect(floatingTagFinding({ ...postgres, stateful: false })).toBeUndefined();
    expect(floatingTagFinding({ ...postgres, image: 'app:latest', builds: true })).toBeUndefined();
  });

  test('a service keeps data where it has a data path, or writable storage of its own mounted', () => {
    expect(keepsData([{}], [])).toBe(true);
    expect(keepsData([{ ephemeral: true }], [])).toBe(false);
    expect(keepsData([], [{ target: '/srv', kind: 'named-volume', readOnly: false }])).toBe(true);
    expect(keepsData([], [{ target: '/usr/share/nginx/html', kind: 'bind-mount', readOnly: true }])).toBe(false);
    expect(keepsData([], [{ target: '/tmp', kind: 'tmpfs', readOnly: false }])).toBe(false);
  });
});

describe('a floating tag judged on the catalogue', () => {
  test('says the current layout was assumed', () => {
    const finding = floatingTagFinding({
      service: 'db',
      image: 'postgres',
      builds: false,
      recognisedAs: 'postgres',
      version: undefined,
      stateful: true,
      assumedCurrent: true,
    });
    expect(finding?.message).toContain("the catalogue's current layout (what a pull brings today) was assumed");
  });
});
