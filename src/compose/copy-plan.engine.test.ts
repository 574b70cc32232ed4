// The copy's override applied by Compose itself to the pitfalls example: nothing of the user's
// shared things (external or fixed-name volumes, bind folders, container names, host ports) remains.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeConfig } from './compose-cli.ts';
import { copyProjectName, planCopy } from './copy-plan.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const files = [join(ROOT, 'examples/compose/pitfalls/compose.yaml')];
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'persist-copy-plan-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

interface Merged {
  name: string;
  services: Record<
    string,
    {
      container_name?: string;
      labels?: Record<string, string>;
      ports?: Array<{ host_ip?: string; published?: string }>;
      volumes?: Array<{ type: string; source?: string }>;
    }
  >;
  volumes: Record<string, { name: string; external?: boolean; labels?: Record<string, string> }>;
}

describe("a copy of the user's project, as Compose reads it", () => {
  test('shares nothing with the original', async () => {
    const options = { files, profiles: [], envFiles: [] };
    const original = await composeConfig(options, true);
    const plan = planCopy(original, {
      projectName: copyProjectName('copy-test'),
      runId: 'copy-test',
      scratchRoot: join(scratch, 'binds'),
      publishAddress: '127.0.0.1',
    });
    const override = join(scratch, 'compose.persist-copy.yaml');
    await writeFile(override, plan.override);
    const merged = (await composeConfig({ ...options, files: [...files, override], projectName: plan.projectName }, true)) as Merged;
    expect(merged.name).toBe('persist-copy-test');
    for (const [name, volume] of Object.entries(merged.volumes)) {
      expect(volume.external, name).toBeUndefined();
      expect(volume.name, name).toBe(`persist-copy-test_${name}`);
      expect(volume.labels?.['persistence-harness.run'], name).toBe('copy-test');
    }
    for (const [name, service] of Object.entries(merged.services)) {
      expect(service.labels?.['persistence-harness.run'], name).toBe('copy-test');
      for (const mount of service.volumes ?? []) if (mount.type === 'bind') expect(mount.source, name).toMatch(new RegExp(`^${join(scratch, 'binds')}/`));
      for (const port of service.ports ?? []) expect(port.host_ip, name).toBe('127.0.0.1');
    }
    expect(plan.replaced.map((r) => r.original)).toEqual(['persist-example-exports', 'shared-backups']);
    expect(plan.bindCopies.map((c) => c.service)).toEqual(['archive']);
  });
});
