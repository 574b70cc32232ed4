// Projects shaped like the ones people keep in their repositories (examples/real-world/): apps
// that build, databases on floating tags, images the harness does not run, postgres 18 with the
// old mount, WordPress layouts, a Redis cache. Each is audited as it is, with nothing pulled or
// built, and its findings must be exactly its golden ones (expected-findings.json), which were
// written from what the images really do: each compose.yaml cites the source it rests on, and
// each mistake there has its correct twin beside it, with no finding.
//
// Images on this machine are set aside and no registry is asked, so the verdicts rest on the
// Dockerfiles and the catalogue alone and are the same on every machine.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { auditProject } from '../../src/compose/audit-project.ts';
import { newRunId } from '../../src/docker/labels.ts';

const ROOT = new URL('../../examples/real-world/', import.meta.url).pathname;
const projects = (await readdir(ROOT, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

interface Expected {
  service: string;
  rule: string;
  severity: string;
}

const byServiceAndRule = (a: Expected, b: Expected) => `${a.service} ${a.rule}`.localeCompare(`${b.service} ${b.rule}`);

describe('real-world projects, audited as they sit in the repository', () => {
  test('there are projects to audit', () => {
    expect(projects.length).toBeGreaterThanOrEqual(8);
  });

  test.each(projects)('%s: a verdict, with exactly its golden findings', async (name) => {
    const audit = await auditProject({ files: [join(ROOT, name, 'compose.yaml')], profiles: [], envFiles: [] }, `audit-${newRunId()}`, {
      offline: true,
      localImages: false,
    });
    const expected = JSON.parse(await readFile(join(ROOT, name, 'expected-findings.json'), 'utf8')) as Expected[];
    const found = audit.findings.map(({ service, rule, severity }) => ({ service, rule, severity })).sort(byServiceAndRule);
    expect(found).toEqual([...expected].sort(byServiceAndRule));
    // Every service has a verdict; only an image no source knows is unread, and it says so.
    for (const service of audit.services) {
      if (service.facts.source === 'unread') expect(found).toContainEqual({ service: service.service, rule: 'image-unread', severity: 'warning' });
    }
  });
});
