// Every rule against the broken setup that must trip it and the correct twin that must not.
import { describe, expect, test } from 'vitest';
import type { ServiceName } from '../services/registry.ts';
import { dataPathsOf, type ServiceRuntime } from './data-paths.ts';
import { findingsFor, viewOf, type ServiceFacts } from './findings.ts';
import { withImageVolumes, type StorageMount } from './storage-map.ts';

interface Setup {
  service?: ServiceName;
  mounts?: StorageMount[];
  imageVolumes?: string[];
  imageEnv?: Record<string, string>;
  command?: string[];
  declared?: string[];
  ephemeral?: string[];
  upgrade?: { image: string; imageVolumes: string[]; imageEnv: Record<string, string> };
  image?: string;
  entrypoint?: ServiceFacts['entrypoint'];
  mayBeCache?: boolean;
}

const POSTGRES_17 = { imageVolumes: ['/var/lib/postgresql/data'], imageEnv: { PGDATA: '/var/lib/postgresql/data' } };
const POSTGRES_18 = { imageVolumes: ['/var/lib/postgresql'], imageEnv: { PGDATA: '/var/lib/postgresql/18/docker' } };

const volume = (target: string, source = 'p_data', kind: StorageMount['kind'] = 'named-volume'): StorageMount => ({ target, kind, source, readOnly: false });

function runtime(imageVolumes: string[], imageEnv: Record<string, string>, command?: string[]): ServiceRuntime {
  return {
    imageVolumes,
    imageEnv,
    imageWorkingDir: '/data',
    imageEntrypoint: [],
    imageCmd: [],
    environment: {},
    command: command ?? null,
    entrypoint: null,
    workingDir: null,
  };
}

function audit(setup: Setup, fixedNames: Set<string> = new Set()) {
  const mounts = withImageVolumes(setup.mounts ?? [], setup.imageVolumes ?? []);
  const paths = dataPathsOf(setup.service, runtime(setup.imageVolumes ?? [], setup.imageEnv ?? {}, setup.command), setup.declared ?? []);
  const facts: ServiceFacts = {
    service: 's',
    mounts,
    dataPaths: paths.map((path) => viewOf(path, mounts, setup.upgrade?.imageVolumes)),
    ...(setup.service ? { recognisedAs: setup.service } : {}),
    ...(setup.ephemeral ? { ephemeral: setup.ephemeral } : {}),
    ...(setup.image ? { image: setup.image } : {}),
    ...(setup.entrypoint ? { entrypoint: setup.entrypoint } : {}),
    ...(setup.mayBeCache ? { mayBeCache: true } : {}),
  };
  if (setup.upgrade) {
    const newMounts = withImageVolumes(setup.mounts ?? [], setup.upgrade.imageVolumes);
    const newPaths = dataPathsOf(setup.service, runtime(setup.upgrade.imageVolumes, setup.upgrade.imageEnv), setup.declared ?? []);
    facts.upgrade = { image: setup.upgrade.image, newImageVolumes: setup.upgrade.imageVolumes, dataPaths: newPaths.map((p) => viewOf(p, newMounts)) };
  }
  return findingsFor(facts, fixedNames);
}

const rules = (setup: Setup) => audit(setup).map((finding) => `${finding.severity} ${finding.rule}${finding.loses ? ` (${finding.loses})` : ''}`);

describe('each pitfall is named, and its correct twin is not', () => {
  test('postgres on a named volume at its VOLUME: nothing to say', () => {
    expect(rules({ service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql/data')] })).toEqual([]);
  });

  test('no mount: the anonymous volume is lost by down + up', () => {
    expect(rules({ service: 'postgres', ...POSTGRES_17 })).toEqual(['error unmounted-volume (down + up)']);
  });

  test('mounted at the parent of the VOLUME: the nested anonymous volume takes the data', () => {
    expect(rules({ service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql')] })).toEqual(['error nested-anonymous-volume (down + up)']);
  });

  test('--datadir outside the mount: the writable layer, and the fix undoes the setting', () => {
    const findings = audit({ service: 'mysql', imageVolumes: ['/var/lib/mysql'], mounts: [volume('/var/lib/mysql')], command: ['--datadir=/srv/db'] });
    expect(findings.map((f) => f.rule)).toEqual(['data-in-writable-layer']);
    expect(findings[0]?.loses).toBe('up --force-recreate');
    expect(findings[0]?.fix).toMatch(/^Remove --datadir from the service/);
    expect(rules({ service: 'mysql', imageVolumes: ['/var/lib/mysql'], mounts: [volume('/var/lib/mysql')], command: ['--datadir=/var/lib/mysql'] })).toEqual(
      [],
    );
  });

  test('a path the user declares, under no mount', () => {
    expect(rules({ declared: ['/srv/app'] })).toEqual(['error data-in-writable-layer (up --force-recreate)']);
    expect(rules({ declared: ['/srv/app'], mounts: [volume('/srv')] })).toEqual([]);
  });

  test('tmpfs over the data: lost by a restart', () => {
    expect(rules({ service: 'redis', imageVolumes: ['/data'], mounts: [{ target: '/data', kind: 'tmpfs', readOnly: false }] })).toEqual([
      'error tmpfs-over-data (restart)',
    ]);
  });

  test('a loss the user declared ephemeral is a note, and only below that path', () => {
    const tmpfs: StorageMount = { target: '/data', kind: 'tmpfs', readOnly: false };
    const findings = audit({ service: 'redis', imageVolumes: ['/data'], mounts: [tmpfs], ephemeral: ['/data'] });
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['info ephemeral-data']);
    expect(findings[0]?.message).toMatch(/empty after every start\. Declared ephemeral in x-persist \(\/data\): that loss is intended\.$/);
    expect(rules({ service: 'redis', imageVolumes: ['/data'], mounts: [tmpfs], ephemeral: ['/data/cache'] })).toEqual(['error tmpfs-over-data (restart)']);
  });

  test('a Redis that may be a cache, on storage that loses it: a warning with both readings and both fixes', () => {
    const findings = audit({ service: 'redis', imageVolumes: ['/data'], mayBeCache: true });
    expect(findings.map((f) => `${f.severity} ${f.rule} (${f.loses})`)).toEqual(['warning unmounted-volume (down + up)']);
    expect(findings[0]?.message).toMatch(/If this server is a cache .*, that loss is harmless; if it keeps data, it is lost\.$/);
    expect(findings[0]?.fix).toBe('If it is a cache, declare /data ephemeral in x-persist; if it keeps data, mount a named volume at /data: `NAME:/data`.');
    // Either fix settles it: declared ephemeral it is a note, mounted it is nothing.
    expect(rules({ service: 'redis', imageVolumes: ['/data'], mayBeCache: true, ephemeral: ['/data'] })).toEqual(['info ephemeral-data (down + up)']);
    expect(rules({ service: 'redis', imageVolumes: ['/data'], mayBeCache: true, mounts: [volume('/data')] })).toEqual([]);
  });

  test('a volume declared without a name', () => {
    expect(rules({ service: 'redis', imageVolumes: ['/data'], mounts: [{ target: '/data', kind: 'anonymous-volume', readOnly: false }] })).toEqual([
      'error anonymous-volume (down + up)',
    ]);
  });

  test('an upgrade that moves the data off its mount', () => {
    const upgrade = { image: 'postgres:18', ...POSTGRES_18 };
    expect(rules({ service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql/data')], upgrade })).toEqual([
      'error upgrade-moves-data (upgrade)',
    ]);
    const sameLayout = { image: 'postgres:17.2', ...POSTGRES_17 };
    expect(rules({ service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql/data')], upgrade: sameLayout })).toEqual([]);
  });

  test('a named volume over content the image ships: a warning', () => {
    expect(rules({ service: 'nginx', mounts: [volume('/usr/share/nginx/html')] })).toEqual(['warning volume-freezes-image-content']);
    expect(rules({ service: 'nginx', mounts: [{ target: '/usr/share/nginx/html', kind: 'bind-mount', source: '/site', readOnly: true }] })).toEqual([]);
  });

  test('storage persist never touches: notes', () => {
    const mounts: StorageMount[] = [
      { target: '/site', kind: 'bind-mount', source: '/p/site', writtenSource: './site', readOnly: true },
      volume('/backups', 'shared', 'external-volume'),
      volume('/exports', 'fixed'),
    ];
    expect(audit({ mounts }, new Set(['fixed'])).map((f) => `${f.severity} ${f.rule}`)).toEqual([
      'info relative-bind',
      'info external-volume',
      'info fixed-volume-name',
    ]);
  });
});

describe("postgres 18's layout under the mount earlier versions used", () => {
  test("postgres 18's layout under the old mount, where its entrypoint does not refuse (the first 18.0 builds): the data lands beside the volume", () => {
    const findings = audit({ service: 'postgres', ...POSTGRES_18, image: 'postgres:18', mounts: [volume('/var/lib/postgresql/data')] });
    expect(findings.map((f) => `${f.rule} ${f.loses}`)).toEqual(['data-path-moved down + up']);
    expect(findings[0]?.message).toMatch(/^The named volume p_data is mounted at \/var\/lib\/postgresql\/data, where earlier versions kept the data/);
    expect(rules({ service: 'postgres', ...POSTGRES_18, mounts: [volume('/var/lib/postgresql')] })).toEqual([]);
  });

  test("postgres 18's layout under the old mount, where its entrypoint refuses: the server never starts, which is what it says", () => {
    const entrypoint = { path: '/usr/local/bin/docker-entrypoint.sh', refusesFormerMount: true, readFrom: 'read from the image' };
    const findings = audit({ service: 'postgres', ...POSTGRES_18, image: 'postgres:18', entrypoint, mounts: [volume('/var/lib/postgresql/data')] });
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.loses}`)).toEqual(['error refuses-old-mount undefined']);
    expect(findings[0]?.message).toContain('refuses to start with anything mounted there: the container exits with code 1 and the server never starts');
    // Neither moving the mount nor PGDATA keeps an existing volume of 17 data: the fix for it is the version it was made with.
    expect(findings[0]?.fix).toBe(
      'If it holds data of an earlier major version, pin the version it was made with (`postgres:17`) and upgrade deliberately (pg_upgrade, or a dump and restore); for a new project, mount it at /var/lib/postgresql instead.',
    );
  });

  test('the moved-layout fixes lead to no other finding: the pinned version on the old mount, or 18 at its parent', () => {
    expect(rules({ service: 'postgres', ...POSTGRES_17, image: 'postgres:17', mounts: [volume('/var/lib/postgresql/data')] })).toEqual([]);
    const entrypoint = { path: '/usr/local/bin/docker-entrypoint.sh', refusesFormerMount: true, readFrom: 'read from the image' };
    expect(rules({ service: 'postgres', ...POSTGRES_18, image: 'postgres:18', entrypoint, mounts: [volume('/var/lib/postgresql')] })).toEqual([]);
  });

  test('a bind mount at the old path is named as one, not as a volume', () => {
    const bind = volume('/var/lib/postgresql/data', '/srv/pg', 'bind-mount');
    expect(audit({ service: 'postgres', ...POSTGRES_18, mounts: [bind] })[0]?.message).toMatch(/^The bind mount \/srv\/pg is mounted at/);
  });
});

describe('fix closure: a finding’s fix, applied, brings back no finding', () => {
  const WORDPRESS = { service: 'wordpress' as const, imageVolumes: ['/var/www/html'] };
  const fixOf = (setup: Setup) => audit(setup)[0]?.fix ?? '';

  test('WordPress without a mount, then as its fix says: the site’s files on a volume, the image’s own files from the image', () => {
    expect(rules(WORDPRESS)).toEqual(['error unmounted-volume (down + up)']);
    expect(fixOf(WORDPRESS)).toBe('Mount a named volume at /var/www/html/wp-content: `NAME:/var/www/html/wp-content`.');
    expect(rules({ ...WORDPRESS, mounts: [volume('/var/www/html/wp-content')] })).toEqual([]);
  });

  test('WordPress with a volume over its whole folder, then as its fix says', () => {
    const whole = { ...WORDPRESS, mounts: [volume('/var/www/html')] };
    expect(rules(whole)).toEqual(['warning volume-freezes-image-content']);
    expect(fixOf(whole)).toMatch(/^Mount the volume at \/var\/www\/html\/wp-content \(where the data is\) instead of \/var\/www\/html/);
    expect(rules({ ...WORDPRESS, mounts: [volume('/var/www/html/wp-content')] })).toEqual([]);
  });

  test('each storage loss, then the mount its fix names', () => {
    const cases: Array<[Setup, Setup]> = [
      [
        { service: 'postgres', ...POSTGRES_17 },
        { service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql/data')] },
      ],
      [
        { service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql')] },
        { service: 'postgres', ...POSTGRES_17, mounts: [volume('/var/lib/postgresql/data')] },
      ],
      [
        { service: 'redis', imageVolumes: ['/data'], mounts: [{ target: '/data', kind: 'anonymous-volume', readOnly: false }] },
        { service: 'redis', imageVolumes: ['/data'], mounts: [volume('/data')] },
      ],
      [
        { service: 'redis', imageVolumes: ['/data'], mounts: [{ target: '/data', kind: 'tmpfs', readOnly: false }] },
        { service: 'redis', imageVolumes: ['/data'], mounts: [volume('/data')] },
      ],
      [
        { service: 'mysql', imageVolumes: ['/var/lib/mysql'], command: ['mysqld', '--datadir=/srv/db'], mounts: [volume('/var/lib/mysql')] },
        { service: 'mysql', imageVolumes: ['/var/lib/mysql'], mounts: [volume('/var/lib/mysql')] },
      ],
    ];
    for (const [broken, fixed] of cases) {
      expect(rules(broken).length, fixOf(broken)).toBe(1);
      expect(rules(fixed), fixOf(broken)).toEqual([]);
    }
  });
});
