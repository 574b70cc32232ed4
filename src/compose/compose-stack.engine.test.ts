// A copy of a user's Compose project as a stack: Compose's own lifecycle commands, told apart by
// what they do to a named and an anonymous volume, and the proof that the user's side is
// untouched: their running project, their external volume and their bind folder, byte for byte.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ComposeOptions } from './compose-cli.ts';
import { compareFingerprints } from '../data/fingerprint.ts';
import { docker } from '../docker/engine.ts';
import { FileProbe } from '../probes/file-probe.ts';
import { preflight, scenarioKit } from '../scenario-kit.ts';
import { ComposeStack } from './compose-stack.ts';
import type { Replacement } from '../stack/stack.ts';
import { IDLE_LOOP } from '../targets/toolbox.ts';

const { config, scope: runScope } = scenarioKit();
const suffix = randomBytes(3).toString('hex');
const userProject = `users-shop-${suffix}`;
const userVolume = `users-shared-${suffix}`;
let folder = '';
let user: ComposeOptions;

async function userCompose(args: string[]) {
  return execa('docker', ['compose', '-p', userProject, '-f', join(folder, 'compose.yaml'), ...args]);
}

const volumeNames = async () => ((await docker().listVolumes()).Volumes ?? []).map((v) => v.Name).sort();
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

beforeAll(async () => {
  await preflight(['toolbox']);
  folder = await mkdtemp(join(tmpdir(), 'users-shop-'));
  await mkdir(join(folder, 'conf'));
  await writeFile(join(folder, 'conf', 'app.conf'), 'mode = production\n');
  const image = config.images.toolbox.reference;
  await writeFile(
    join(folder, 'compose.yaml'),
    [
      'services:',
      '  app:',
      `    image: ${image}`,
      `    command: ["sh", "-c", ${JSON.stringify(IDLE_LOOP)}]`,
      '    container_name: users-app-' + suffix,
      '    ports: ["127.0.0.1:18380:8080"]',
      '    volumes: [data:/data, ./conf:/conf:ro, shared:/shared]',
      '  worker:',
      `    image: ${image}`,
      `    command: ["sh", "-c", ${JSON.stringify(IDLE_LOOP)}]`,
      '    volumes: [/scratch]',
      'volumes:',
      '  data:',
      '  shared:',
      '    external: true',
      `    name: ${userVolume}`,
      '',
    ].join('\n'),
  );
  // The user's own things: an external volume holding data, and their project running.
  await docker().createVolume({ Name: userVolume });
  await execa('docker', ['run', '--rm', '-v', `${userVolume}:/shared`, image, 'sh', '-c', 'echo "invoices 2026" > /shared/ledger.txt']);
  await userCompose(['up', '-d', '--wait']);
  user = { files: [join(folder, 'compose.yaml')], profiles: [], envFiles: [], projectName: userProject };
});

afterAll(async () => {
  await userCompose(['down', '-v', '--timeout', '1']).catch(() => undefined);
  await docker()
    .getVolume(userVolume)
    .remove()
    .catch(() => undefined);
  await rm(folder, { recursive: true, force: true });
});

/** Seeds through the probe in the copy, replaces the service, and says whether the data survived. */
async function survives(service: string, path: string, how: Replacement): Promise<boolean> {
  const scope = runScope.child();
  try {
    const stack = await ComposeStack.start(scope, user);
    const probe = new FileProbe(service, [path]);
    const before = await probe.seed(stack);
    await stack.replace(service, how);
    return compareFingerprints(before, await probe.fingerprint(stack)).identical;
  } finally {
    await scope.dispose();
  }
}

describe("a copy of the user's project, in Compose's own lifecycle commands", () => {
  test.for([
    ['force-recreate', true],
    ['down-up', false],
    ['recreate', false],
  ] as const)('%s: a file in a volume declared without a name survives: %s', async ([how, expected]) => {
    expect(await survives('worker', '/scratch', how)).toBe(expected);
  });

  test('down-up: a file in the named volume survives', async () => {
    expect(await survives('app', '/data', 'down-up')).toBe(true);
  });
});

describe("the user's side is untouched", () => {
  test('their running project, their external volume and their bind folder; none of their volumes lost, none of the copy left', async () => {
    // The user's volumes: their project's named and anonymous volumes, and the external one.
    const theirs = (await docker().listContainers({ all: true, filters: { label: [`com.docker.compose.project=${userProject}`] } })).flatMap((c) =>
      c.Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name ?? ''),
    );
    expect(theirs).toContain(userVolume);
    const ledgerBefore = (await execa('docker', ['run', '--rm', '-v', `${userVolume}:/shared`, config.images.toolbox.reference, 'cat', '/shared/ledger.txt']))
      .stdout;
    const confBefore = await sha256(join(folder, 'conf', 'app.conf'));

    const scope = runScope.child();
    const stack = await ComposeStack.start(scope, user);
    // The copy writes where the original's external volume and bind folder were mounted.
    const app = stack.containerId('app');
    await execa('docker', ['exec', app, 'sh', '-c', 'echo copy > /shared/ledger.txt; echo copy > /conf/written 2>/dev/null; true']);
    expect(stack.plan.replaced.map((r) => r.original)).toEqual([userVolume]);
    const copyVolumes = async () =>
      (await docker().listContainers({ all: true, filters: { label: [`com.docker.compose.project=${stack.plan.projectName}`] } })).flatMap((c) =>
        c.Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name ?? ''),
      );
    const beforeReplace = await copyVolumes();
    await stack.replace('worker', 'down-up');
    const copies = [...new Set([...beforeReplace, ...(await copyVolumes())])];
    await scope.dispose();

    const after = await volumeNames();
    expect(theirs.filter((name) => !after.includes(name))).toEqual([]);
    // The copy's volumes, the one a down-up left behind included, are gone; none was the user's.
    expect(copies.length).toBeGreaterThanOrEqual(4);
    expect(copies.filter((name) => theirs.includes(name))).toEqual([]);
    expect(copies.filter((name) => after.includes(name))).toEqual([]);
    const ledgerAfter = (await execa('docker', ['run', '--rm', '-v', `${userVolume}:/shared`, config.images.toolbox.reference, 'cat', '/shared/ledger.txt']))
      .stdout;
    expect(ledgerAfter).toBe(ledgerBefore);
    expect(await sha256(join(folder, 'conf', 'app.conf'))).toBe(confBefore);
    const running = (await userCompose(['ps', '--status', 'running', '-q'])).stdout.trim().split('\n');
    expect(running).toHaveLength(2);
    const copyContainers = await docker().listContainers({ all: true, filters: { label: [`com.docker.compose.project=${stack.plan.projectName}`] } });
    expect(copyContainers).toEqual([]);
    const networks = await docker().listNetworks({ filters: { label: [`com.docker.compose.project=${stack.plan.projectName}`] } });
    expect(networks).toEqual([]);
  });
});
