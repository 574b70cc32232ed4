import { describe, expect, test } from 'vitest';
import { fateOf, fatesOf, pruneScopeOf, storageOf, withImageVolumes, type StorageMount } from './storage-map.ts';

const named = (target: string, source = 'p_data'): StorageMount => ({ target, kind: 'named-volume', source, readOnly: false });

describe('where a path lands', () => {
  test('an image VOLUME nothing mounts exactly becomes an anonymous volume, also below a parent mount', () => {
    const mounts = withImageVolumes([named('/var/lib/postgresql')], ['/var/lib/postgresql/data/']);
    expect(mounts.map((m) => [m.target, m.kind])).toEqual([
      ['/var/lib/postgresql', 'named-volume'],
      ['/var/lib/postgresql/data', 'image-volume'],
    ]);
    expect(storageOf('/var/lib/postgresql/data/base', mounts)).toEqual({ kind: 'image-volume', target: '/var/lib/postgresql/data' });
    expect(storageOf('/var/lib/postgresql/other', mounts)).toEqual({ kind: 'named-volume', target: '/var/lib/postgresql', source: 'p_data' });
  });

  test('a VOLUME the Compose file mounts gets no anonymous volume', () => {
    expect(withImageVolumes([named('/data')], ['/data'])).toEqual([named('/data')]);
  });

  test('a path under no mount is in the writable layer; a sibling prefix is not a parent', () => {
    expect(storageOf('/var/lib/mysql-data', [named('/var/lib/mysql')])).toEqual({ kind: 'writable-layer' });
  });
});

describe('what each lifecycle command does', () => {
  // restart, up --force-recreate, down + up, down -v + up, down + volume prune (API 1.42 and later), down + volume prune --all
  test.each([
    ['named-volume', ['kept', 'kept', 'kept', 'lost', 'kept', 'lost']],
    ['external-volume', ['kept', 'kept', 'kept', 'kept', 'kept', 'lost']],
    ['bind-mount', ['kept', 'kept', 'kept', 'kept', 'kept', 'kept']],
    ['tmpfs', ['lost', 'lost', 'lost', 'lost', 'lost', 'lost']],
    ['anonymous-volume', ['kept', 'kept', 'lost', 'lost', 'lost', 'lost']],
    ['image-volume', ['kept', 'kept', 'lost', 'lost', 'lost', 'lost']],
    ['writable-layer', ['kept', 'lost', 'lost', 'lost', 'lost', 'lost']],
  ] as const)('%s', (kind, fates) => {
    const storage = { kind, target: '/data' };
    expect(Object.values(fatesOf(storage))).toEqual(fates);
  });

  test('a plain prune spares named volumes from API 1.42 on, and below it removes them as --all does, external ones too', () => {
    expect(pruneScopeOf('1.43')).toBe('anonymous');
    expect(pruneScopeOf('1.42')).toBe('anonymous');
    expect(pruneScopeOf('1.41')).toBe('all');
    expect(pruneScopeOf(undefined)).toBe('anonymous');
    for (const kind of ['named-volume', 'external-volume'] as const) {
      expect(fateOf({ kind, target: '/d' }, 'down + volume prune', undefined, 'all')).toBe('lost');
      expect(fateOf({ kind, target: '/d' }, 'down + volume prune', undefined, 'anonymous')).toBe('kept');
    }
    expect(fateOf({ kind: 'bind-mount', target: '/d' }, 'down + volume prune --all')).toBe('kept');
  });

  test("an image's anonymous volume survives an upgrade only while the new image declares it", () => {
    const storage = { kind: 'image-volume' as const, target: '/var/lib/postgresql/data' };
    expect(fateOf(storage, 'upgrade', { newImageVolumes: ['/var/lib/postgresql/data'] })).toBe('kept');
    expect(fateOf(storage, 'upgrade', { newImageVolumes: ['/var/lib/postgresql'] })).toBe('lost');
    // Compose carries a volume the file declares without a name over whatever the image says.
    expect(fateOf({ kind: 'anonymous-volume', target: '/x' }, 'upgrade', { newImageVolumes: [] })).toBe('kept');
  });

  test('the upgrade column is there only when an upgrade is known', () => {
    expect(Object.keys(fatesOf({ kind: 'named-volume', target: '/d' }))).not.toContain('upgrade');
    expect(fatesOf({ kind: 'named-volume', target: '/d' }, { newImageVolumes: [] }).upgrade).toBe('kept');
  });
});
