import { describe, expect, test } from 'vitest';
import { HarnessError } from '../errors.ts';
import { chooseDataLayout, whereDataLives } from './data-layout.ts';
import { isWithin } from './paths.ts';

const POSTGRES = { documented: ['/var/lib/postgresql/data', '/var/lib/postgresql'], writableLayer: '/var/lib/postgresql-writable-layer' };

describe('where a cell mounts its storage', () => {
  test('the declared VOLUME that is a documented path', () => {
    expect(chooseDataLayout(['/var/lib/postgresql/data'], POSTGRES).dataMount).toBe('/var/lib/postgresql/data');
    // postgres 18's layout: the VOLUME is the parent, PGDATA a subdirectory of it.
    expect(chooseDataLayout(['/var/lib/postgresql'], POSTGRES).dataMount).toBe('/var/lib/postgresql');
  });

  test('a declared VOLUME near a documented path, else the only one, else the documented path', () => {
    expect(chooseDataLayout(['/etc/app', '/var/lib/postgresql/main'], POSTGRES).dataMount).toBe('/var/lib/postgresql/main');
    expect(chooseDataLayout(['/srv/pg'], POSTGRES).dataMount).toBe('/srv/pg');
    const none = chooseDataLayout([], POSTGRES);
    expect(none.dataMount).toBe('/var/lib/postgresql/data');
    expect(none.dataMountReason).toContain('declares no VOLUME');
    expect(chooseDataLayout(['/a', '/b'], POSTGRES).dataMount).toBe('/var/lib/postgresql/data');
  });

  test('a writable-layer path inside a declared VOLUME is refused: data there would land in an anonymous volume', () => {
    expect(() => chooseDataLayout(['/var/lib'], POSTGRES)).toThrow(HarnessError);
    expect(chooseDataLayout(['/var/lib/postgresql'], POSTGRES).writableLayerDir).toBe('/var/lib/postgresql-writable-layer');
  });

  test('path containment compares whole path segments', () => {
    expect(isWithin('/var/lib/postgresql-writable-layer', '/var/lib/postgresql')).toBe(false);
    expect(isWithin('/var/lib/postgresql/17/docker', '/var/lib/postgresql/')).toBe(true);
    expect(isWithin('/anything', '/')).toBe(true);
  });

  test('where a data directory lives: the deepest mount above it', () => {
    const anonymous = 'a'.repeat(64);
    const mounts = [
      { type: 'volume', source: 'users-volume', destination: '/var/lib/postgresql/data' },
      { type: 'volume', source: anonymous, destination: '/var/lib/postgresql' },
    ];
    expect(whereDataLives('/var/lib/postgresql/17/docker', mounts)).toBe('in an anonymous volume mounted at /var/lib/postgresql, removed with the container');
    expect(whereDataLives('/var/lib/postgresql/data', mounts)).toBe('in volume users-volume mounted at /var/lib/postgresql/data');
    expect(whereDataLives('/srv/data', mounts)).toContain('writable layer');
  });
});
