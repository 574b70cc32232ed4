import { describe, expect, it } from 'vitest';
import { type BindPermissionFacts, bindPermissionFindings, canWrite, type HostFolder, type RunsAs, runsAs } from './bind-permissions.ts';
import { viewOf } from './findings.ts';
import type { StorageMount } from './storage-map.ts';

const GRAFANA_DATA = '/srv/grafana-data';
const bind = (over: Partial<StorageMount> = {}): StorageMount => ({
  target: '/var/lib/grafana',
  kind: 'bind-mount',
  source: GRAFANA_DATA,
  writtenSource: './grafana-data',
  readOnly: false,
  createsHostPath: true,
  ...over,
});

/** A service bound at /var/lib/grafana: running as 472 unless told (null: root). */
function facts(folder: HostFolder, user: RunsAs | null = runsAs(null, '472')!, mount = bind()): BindPermissionFacts {
  const mounts = [mount];
  return {
    service: 'grafana',
    runsAs: user ?? undefined,
    dataPaths: [viewOf({ path: '/var/lib/grafana', why: 'GF_PATHS_DATA', origin: 'documented' }, mounts)],
    mounts,
    folders: new Map([[GRAFANA_DATA, folder]]),
  };
}
const rules = (given: BindPermissionFacts) => bindPermissionFindings(given).map((finding) => finding.rule);
const rootOwned: HostFolder = { exists: true, uid: 0, gid: 0, mode: 0o40755 };

describe('who a service runs as', () => {
  it('is its image’s USER unless Compose’s user: says otherwise; root is no one to judge', () => {
    expect(runsAs(null, '472')).toEqual({ user: '472', uid: 472, from: 'image' });
    expect(runsAs('1000:1000', '')).toEqual({ user: '1000:1000', uid: 1000, gid: 1000, from: 'compose' });
    expect(runsAs(null, 'nobody')).toEqual({ user: 'nobody', from: 'image' });
    for (const root of ['', 'root', '0', '0:0', 'root:root']) expect(runsAs(null, root)).toBeUndefined();
    expect(runsAs('0', '472')).toBeUndefined();
  });

  it('can write a folder as the kernel decides: owner, group, other; a name in another user’s folder is not known here', () => {
    const owned = (uid: number, gid: number, mode: number) => ({ exists: true as const, uid, gid, mode });
    expect(canWrite(runsAs(null, '472')!, owned(472, 0, 0o755))).toBe(true);
    expect(canWrite(runsAs(null, '472')!, owned(0, 0, 0o755))).toBe(false);
    expect(canWrite(runsAs(null, '472:0')!, owned(0, 0, 0o775))).toBe(true);
    expect(canWrite(runsAs(null, '472')!, owned(1000, 1000, 0o777))).toBe(true);
    expect(canWrite(runsAs(null, 'nobody')!, owned(0, 0, 0o755))).toBe(false);
    expect(canWrite(runsAs(null, 'nobody')!, owned(65534, 65534, 0o755))).toBeUndefined();
  });
});

describe('permission denied on a bind mount', () => {
  it('a missing short-syntax folder, created root-owned at up, is one the non-root server cannot write; its fix, applied, brings back no finding', () => {
    const [finding] = bindPermissionFindings(facts({ exists: false }));
    expect(finding).toMatchObject({ rule: 'cannot-write-data-path', severity: 'error', path: '/var/lib/grafana' });
    expect(finding!.message).toContain('the server will not start (permission denied writing /var/lib/grafana)');
    expect(finding!.fix).toBe(
      'Create the folder owned by the user the image runs as before the first start: `mkdir -p ./grafana-data && sudo chown 472 ./grafana-data`.',
    );
    expect(rules(facts({ exists: true, uid: 472, gid: 0, mode: 0o40755 }))).toEqual([]);
  });

  it('a folder owned by another user: chown to the uid the image runs as, not to yours', () => {
    const [finding] = bindPermissionFindings(facts({ exists: true, uid: 1000, gid: 1000, mode: 0o40755 }));
    expect(finding!.message).toContain('owned by 1000:1000 with mode 755');
    expect(finding!.fix).toBe('Give the folder to the user the image runs as: `sudo chown -R 472 ./grafana-data`.');
    expect(rules(facts({ exists: true, uid: 472, gid: 1000, mode: 0o40755 }))).toEqual([]);
  });

  it('a server that starts as root (the official database images chown their data directory) is never a finding, missing folder or not', () => {
    expect(rules(facts({ exists: false }, null))).toEqual([]);
    expect(rules(facts(rootOwned, null))).toEqual([]);
  });

  it('the long syntax does not create a missing folder: the container is refused, whoever it runs as; created as the fix says, no finding', () => {
    const long = bind({ createsHostPath: false });
    expect(rules(facts({ exists: false }, null, long))).toEqual(['bind-source-missing']);
    const [finding] = bindPermissionFindings(facts({ exists: false }, runsAs(null, '472')!, long));
    expect(finding!.fix).toBe('Create the folder before the first `up`: `mkdir -p ./grafana-data && sudo chown 472 ./grafana-data`.');
    expect(rules(facts({ exists: true, uid: 472, gid: 0, mode: 0o40755 }, runsAs(null, '472')!, long))).toEqual([]);
  });

  it('a read-only bind, or one the data path is not on, is not judged', () => {
    expect(rules(facts({ exists: false }, runsAs(null, '472')!, bind({ readOnly: true })))).toEqual([]);
    expect(rules(facts({ exists: false }, runsAs(null, '472')!, bind({ target: '/etc/grafana' })))).toEqual([]);
  });
});
