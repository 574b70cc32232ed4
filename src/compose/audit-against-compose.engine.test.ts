// The audit's model held against Docker and Compose themselves: for every way a path can be
// stored, a file is written in a copy of the project, the lifecycle command is run for real,
// and what survived must be exactly what the audit predicted. A difference means the audit's
// rules (or the engine) are not what they are documented to be.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditProject } from './audit-project.ts';
import type { ComposeOptions } from './compose-cli.ts';
import { LIFECYCLE, type Lifecycle } from './storage-map.ts';
import { compareFingerprints } from '../data/fingerprint.ts';
import { deriveImage } from '../images/derived.ts';
import { FileProbe } from '../probes/file-probe.ts';
import { ABSENT } from '../probes/probe.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';
import { ComposeStack } from './compose-stack.ts';
import { IDLE_LOOP } from '../targets/toolbox.ts';

const { config, scope: runScope } = scenarioKit();
const scope = runScope.child();
let folder = '';
let project: ComposeOptions;

beforeAll(async () => {
  await preflight(['toolbox']);
  // An image that declares a VOLUME, as data images do; the audit knows it not, so its VOLUME is a data path.
  const image = await deriveImage(scope, config.images.toolbox.reference, ['VOLUME /var/lib/app'], 'audit-against-compose');
  folder = await mkdtemp(join(tmpdir(), 'persist-audit-vs-compose-'));
  const service = (name: string, lines: string[]) => [`  ${name}:`, `    image: ${image}`, `    command: ["sh", "-c", ${JSON.stringify(IDLE_LOOP)}]`, ...lines];
  await writeFile(
    join(folder, 'compose.yaml'),
    [
      'services:',
      ...service('named', ['    volumes: [named:/var/lib/app]']),
      ...service('unmounted', []),
      ...service('parent', ['    volumes: [parent:/var/lib]']),
      ...service('unnamed', ['    volumes: [/var/lib/app]']),
      ...service('tmpfs', ['    tmpfs: [/var/lib/app]']),
      ...service('bind', ['    volumes: [./host:/var/lib/app]']),
      ...service('layer', ['    volumes: [layer:/var/lib/app]']),
      'volumes:',
      '  named:',
      '  parent:',
      '  layer:',
      // The one path under no mount: declared by the user.
      'x-persist:',
      '  services:',
      '    layer:',
      '      data: [/srv/app]',
      '',
    ].join('\n'),
  );
  project = { files: [join(folder, 'compose.yaml')], profiles: [], envFiles: [] };
});
afterAll(async () => {
  await scope.dispose();
  await rm(folder, { recursive: true, force: true });
});

describe("the audit's predictions, observed on a copy run by Compose", () => {
  test.for(LIFECYCLE.filter((command) => command !== 'upgrade') as Exclude<Lifecycle, 'upgrade'>[])('%s', async (command) => {
    const audit = await auditProject(project, scope.runId);
    const predicted = audit.services.flatMap((service) => service.dataPaths.map((path) => `${service.service} ${path.path}: ${path.fates[command]}`));
    const stack = await ComposeStack.start(scope, project, { name: 'audit-held' });
    const probes = audit.services.map(
      (service) =>
        new FileProbe(
          service.service,
          service.dataPaths.map((path) => path.path),
        ),
    );
    const before = await Promise.all(probes.map((probe) => probe.seed(stack)));
    await stack.lifecycle(command);
    const observed: string[] = [];
    for (const [index, probe] of probes.entries()) {
      const after = await probe.fingerprint(stack);
      for (const [file, fingerprint] of Object.entries(before[index] ?? {})) {
        const same = compareFingerprints({ [file]: fingerprint }, { [file]: after[file] ?? ABSENT }).identical;
        observed.push(`${probe.service} ${file.replace(/\/\.persist-probe$/, '')}: ${same ? 'kept' : 'lost'}`);
      }
    }
    expect(observed).toEqual(predicted);
    await stack.dispose();
  });
});
