// A file of an image read without running it, as the audit reads an entrypoint script: the first
// path the image has, links followed, nothing when it has none, and no container left behind.
import { describe, expect, test } from 'vitest';
import { docker } from './engine.ts';
import { readImageFile } from './image-files.ts';
import { runLabelFilter, runLabels } from './labels.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';

const { config, scope } = scenarioKit();
const image = config.images.postgres.reference;
const labels = runLabels(scope.runId, 'image-files-test');

describe('readImageFile', () => {
  test('the entrypoint script, found at the first of its candidate paths the image has', async () => {
    await preflight(['postgres']);
    const found = await readImageFile(image, ['/nowhere/docker-entrypoint.sh', '/usr/local/bin/docker-entrypoint.sh'], labels);
    expect(found?.path).toBe('/usr/local/bin/docker-entrypoint.sh');
    expect(found?.text).toMatch(/^#!/);
    expect(found?.text).toContain('PGDATA');
  });

  test('a symbolic link is followed to its file (Debian’s /etc/os-release)', async () => {
    const found = await readImageFile(image, ['/etc/os-release'], labels);
    expect(found?.text).toMatch(/^ID=/m);
  });

  test('a path the image lacks reads as nothing, and every container it created is gone', async () => {
    expect(await readImageFile(image, ['/no/such/file'], labels)).toBeUndefined();
    const left = await docker().listContainers({ all: true, filters: { label: [runLabelFilter(scope.runId)] } });
    expect(left.filter((container) => container.Labels['persistence-harness.purpose'] === 'image-files-test')).toEqual([]);
  });
});
