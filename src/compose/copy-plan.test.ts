import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { copyProjectName, planCopy } from './copy-plan.ts';

// As `docker compose config --format json` prints it.
const resolved = {
  name: 'shop',
  services: {
    web: {
      container_name: 'shop-web',
      ports: [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 443 }],
      volumes: [
        { type: 'bind', source: '/home/me/shop/site', target: '/usr/share/nginx/html', read_only: true },
        { type: 'volume', source: 'shared', target: '/backups' },
      ],
    },
    db: { volumes: [{ type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data' }] },
    worker: { build: { context: '/home/me/shop/worker' } },
    api: { build: { context: '/home/me/shop/api' }, image: 'shop/api:dev' },
  },
  volumes: { 'db-data': { name: 'shop_db-data' }, shared: { name: 'backups', external: true }, fixed: { name: 'company-exports' } },
  networks: { default: { name: 'shop_default' }, front: { name: 'corp-front', external: true } },
};

const plan = planCopy(resolved, {
  projectName: copyProjectName('r1'),
  runId: 'r1',
  scratchRoot: '/tmp/ph/r1/copy',
  publishAddress: '127.0.0.1',
  probePorts: { db: [5432], web: [80] },
  fixedPorts: { web: { 443: 40443 } },
});
const override = parse(plan.override, { logLevel: 'error' }) as Record<string, Record<string, Record<string, unknown>>>;

describe('the copy of a project', () => {
  test('runs under a project name of its own', () => {
    expect(plan.projectName).toBe(copyProjectName('r1'));
    expect(plan.projectName).toBe('persist-r1');
  });

  test("replaces the user's shared volumes and networks, and labels every volume", () => {
    expect(plan.replaced).toEqual([
      { kind: 'volume', original: 'backups', copy: 'persist-r1_shared' },
      { kind: 'volume', original: 'company-exports', copy: 'persist-r1_fixed' },
      { kind: 'network', original: 'corp-front', copy: 'persist-r1_front' },
    ]);
    expect(override.volumes?.shared).toEqual({ external: false, name: 'persist-r1_shared', labels: { 'persistence-harness.run': 'r1' } });
    expect(override.volumes?.['db-data']).toEqual({ labels: { 'persistence-harness.run': 'r1' } });
    expect(override.networks?.default).toEqual({ labels: { 'persistence-harness.run': 'r1' } });
    expect(override.networks?.front).toEqual({ external: false, name: 'persist-r1_front', labels: { 'persistence-harness.run': 'r1' } });
  });

  test('mounts copies of bind sources, renames containers, labels every service', () => {
    expect(plan.bindCopies).toEqual([
      {
        service: 'web',
        target: '/usr/share/nginx/html',
        from: '/home/me/shop/site',
        to: '/tmp/ph/r1/copy/web/0--usr-share-nginx-html',
        createsHostPath: false,
      },
    ]);
    expect(override.services?.web).toMatchObject({
      container_name: 'persist-r1-web',
      volumes: [{ type: 'bind', source: '/tmp/ph/r1/copy/web/0--usr-share-nginx-html', target: '/usr/share/nginx/html', read_only: true }],
      labels: { 'persistence-harness.run': 'r1' },
    });
    expect(override.services?.db?.labels).toEqual({ 'persistence-harness.run': 'r1' });
  });

  test('replaces published ports by ephemeral ones on the harness address (or one chosen), with `!override`', () => {
    expect(plan.override).toContain('ports: !override');
    expect(override.services?.web?.ports).toEqual(['127.0.0.1::80/tcp', '127.0.0.1:40443:443/tcp']);
  });

  test("publishes a database's port for the probe where the project publishes none", () => {
    expect(override.services?.db?.ports).toEqual(['127.0.0.1::5432/tcp']);
  });

  test("runs the image the user built, under the original project's name", () => {
    expect(override.services?.worker?.image).toBe('shop-worker');
    expect(override.services?.api?.image).toBeUndefined();
  });
});
