import { describe, expect, test } from 'vitest';
import { readProject } from './project.ts';

// As `docker compose config --format json` prints it (Compose 2.26), resolved and as written.
const resolved = {
  name: 'shop',
  services: {
    db: {
      image: 'postgres:17',
      environment: { POSTGRES_PASSWORD: 'secret' },
      command: null,
      entrypoint: null,
      tmpfs: ['/run/pg:size=64m'],
      volumes: [
        { type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data/', volume: {} },
        { type: 'bind', source: '/home/me/shop/init', target: '/docker-entrypoint-initdb.d', read_only: true, bind: { create_host_path: true } },
        { type: 'volume', target: '/scratch', volume: {} },
        { type: 'tmpfs', target: '/cache' },
        { type: 'volume', source: 'shared', target: '/shared', volume: {} },
        { type: 'volume', source: 'exports', target: '/exports', volume: {} },
      ],
    },
    app: { build: { context: '/home/me/shop' }, command: 'serve --port 8080' },
  },
  volumes: { 'db-data': { name: 'shop_db-data' }, shared: { name: 'shared', external: true }, exports: { name: 'company-exports' } },
  'x-persist': { services: {} },
};
const asWritten = structuredClone(resolved);
asWritten.services.db.volumes[1]!.source = './init';

describe('a project as Compose resolved it', () => {
  const project = readProject(resolved, asWritten);

  test('each mount with its kind and source', () => {
    const db = project.services.find((service) => service.name === 'db');
    expect(db?.mounts.map((m) => [m.target, m.kind, m.source ?? '', m.writtenSource ?? ''])).toEqual([
      ['/var/lib/postgresql/data', 'named-volume', 'shop_db-data', ''],
      ['/docker-entrypoint-initdb.d', 'bind-mount', '/home/me/shop/init', './init'],
      ['/scratch', 'anonymous-volume', '', ''],
      ['/cache', 'tmpfs', '', ''],
      ['/shared', 'external-volume', 'shared', ''],
      ['/exports', 'named-volume', 'company-exports', ''],
      ['/run/pg', 'tmpfs', '', ''],
    ]);
  });

  test('a service Compose builds runs the image PROJECT-SERVICE; a string command is split', () => {
    const app = project.services.find((service) => service.name === 'app');
    expect(app).toMatchObject({ image: 'shop-app', builds: true, command: ['serve', '--port', '8080'] });
  });

  test('only names fixed away from the project scope count as fixed', () => {
    expect([...project.fixedVolumeNames]).toEqual(['company-exports']);
    expect(project.xPersist).toEqual({ services: {} });
  });
});
