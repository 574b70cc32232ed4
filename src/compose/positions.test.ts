import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeFilesOf, mountTarget, readPositions } from './positions.ts';

let folder = '';
const file = (name: string) => join(folder, name);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'persist-positions-'));
  await mkdir(join(folder, 'db'));
  await writeFile(
    file('compose.yaml'),
    [
      'include:',
      '  - db/compose.yaml',
      'services:',
      '  web:',
      '    image: nginx:1.27',
      '    volumes:',
      '      - ./site:/usr/share/nginx/html:ro',
      '      - type: volume',
      '        source: cache',
      '        target: /var/cache/nginx',
      '  worker:',
      '    extends:',
      '      file: base.yaml',
      '      service: base-worker',
      '    image: acme/worker:2',
      'volumes:',
      '  cache:',
      '',
    ].join('\n'),
  );
  await writeFile(file('compose.override.yaml'), ['services:', '  web:', '    volumes:', '      - logs:/var/log/nginx', ''].join('\n'));
  await writeFile(file('base.yaml'), ['services:', '  base-worker:', '    build: .', '    volumes:', '      - /srv/queue', ''].join('\n'));
  await writeFile(
    file('db/compose.yaml'),
    ['services:', '  db:', '    image: postgres', '    volumes: [db:/var/lib/postgresql/data]', 'volumes:', '  db:', ''].join('\n'),
  );
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('where a finding is declared in the user’s files', () => {
  test('a mount, an image, a service', async () => {
    const positions = await readPositions([file('compose.yaml')]);
    expect(positions.of('web', '/var/cache/nginx')).toEqual({ file: file('compose.yaml'), line: 8, column: 9 });
    expect(positions.of('web', '/usr/share/nginx/html')).toEqual({ file: file('compose.yaml'), line: 7, column: 9 });
    expect(positions.of('web', 'nginx:1.27')).toEqual({ file: file('compose.yaml'), line: 5, column: 5 });
    expect(positions.of('web', '/not/mounted')).toEqual({ file: file('compose.yaml'), line: 4, column: 3 });
    expect(positions.of('nobody', '/x')).toBeUndefined();
  });

  test('the last file that sets a key wins; keys it does not set keep their place', async () => {
    const positions = await readPositions([file('compose.yaml'), file('compose.override.yaml')]);
    expect(positions.of('web', '/var/log/nginx')).toEqual({ file: file('compose.override.yaml'), line: 4, column: 9 });
    expect(positions.of('web', 'nginx:1.27')).toEqual({ file: file('compose.yaml'), line: 5, column: 5 });
  });

  test('an included service points into its own file', async () => {
    const positions = await readPositions([file('compose.yaml')]);
    expect(positions.of('db', '/var/lib/postgresql/data')).toEqual({ file: file('db/compose.yaml'), line: 4, column: 15 });
  });

  test('a mount inherited through extends points to the service that declares it', async () => {
    const positions = await readPositions([file('compose.yaml')]);
    expect(positions.of('worker', '/srv/queue')).toEqual({ file: file('base.yaml'), line: 5, column: 9 });
    expect(positions.of('worker', 'acme/worker:2')).toEqual({ file: file('compose.yaml'), line: 15, column: 5 });
  });

  test('without -f, the default file and its override', async () => {
    expect(await composeFilesOf([], folder)).toEqual([file('compose.yaml'), file('compose.override.yaml')]);
  });

  test.each([
    ['db:/var/lib/postgresql/data', '/var/lib/postgresql/data'],
    ['./site:/usr/share/nginx/html:ro', '/usr/share/nginx/html'],
    ['/srv/queue', '/srv/queue'],
    [{ type: 'volume', source: 'x', target: '/data/' }, '/data'],
  ])('the target of %j', (entry, target) => {
    expect(mountTarget(entry)).toBe(target);
  });
});
