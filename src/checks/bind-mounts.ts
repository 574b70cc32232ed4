// The seed's bind mounts, proven: the host and the container see the same bytes both ways; a
// file edited on the host is served at once, without a restart; `:ro` (a folder, and a single
// file such as nginx.conf) refuses writes and leaves the host unchanged; a non-root container
// cannot write a root-owned host folder until one of the seed's fixes is applied; and an
// anonymous volume masks one folder of a bind-mounted tree with the image's content.
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type StartedTestContainer } from 'testcontainers';
import { HostOnlyContainer } from '../docker/host-only-container.ts';
import { sha256 } from '../data/hash.ts';
import { mappedPort, waitForExit } from '../docker/containers.ts';
import { runOneShot, type OneShotResult } from '../docker/one-shot.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { CellResult, ControlResult, ItemOutcome, Observation } from '../report/model.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';
import { httpRequest, pollUntil } from '../web/http.ts';
import { itemsRecord, type TrialRecord } from '../drill/assemble.ts';
import { type ImagesDrillContext, identify, runDrill } from '../drill/drill.ts';
import { negativeControl } from '../drill/control.ts';
import { firstLine } from './output.ts';
import { stopwatch } from '../timing/clock.ts';

export const BIND_ITEMS = [
  'host file in the container, same bytes',
  'container file on the host, same bytes',
  'host edit served without a restart',
  'write into a :ro folder',
  'write into the same folder without :ro',
  'write to a :ro single file (nginx.conf)',
  'the :ro nginx.conf is in effect',
  'host files unchanged by refused writes',
  'non-root container writing a root-owned folder',
  'after chown on the host',
  'with --user set to the folder owner',
  'masked folder keeps the image content',
  'the rest of the tree comes from the host',
] as const;
export type BindItem = (typeof BIND_ITEMS)[number];

export type BindContext = ImagesDrillContext<'toolbox' | 'nginx'>;

/** A uid and gid that exist in no image the harness uses: an ordinary, unprivileged user. */
const APP_UID = 1000;
const LIVE_EDIT_TIMEOUT_MS = 30_000;

export async function runBindMountChecks(scenario: string, expected: Record<BindItem, Observation>, context: BindContext): Promise<CellResult> {
  const identity = identify(
    { target: 'toolbox', storage: 'bind-mount', disruption: 'none', variant: 'bind-mounts' },
    { scenario, title: 'Bind mounts', expected: 'survives' },
  );
  return runDrill({ identity, image: context.images.toolbox.reference, runTrial: (trial, scope) => runTrial(expected, context, trial, scope) }, context);
}

/** What one part of the check saw: its items, and the evidence for them. */
interface Findings {
  observed: Partial<Record<BindItem, Observation>>;
  evidence: string[];
}

interface Part {
  scope: RunScope;
  context: BindContext;
  once: RunOnce;
}

async function runTrial(expected: Record<BindItem, Observation>, context: BindContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const once: RunOnce = (script, binds, user) => runOnce(scope, context.images.toolbox.reference, script, binds, user);
  const part: Part = { scope, context, once };
  // Both directions, byte for byte.
  const shared = await scope.createHostFolder('bind-both-ways');
  const bothWays = await checkBothWays(once, shared, shared);
  const live = await checkLiveEdit(part);
  const parts = [
    { observed: bothWays.observed, evidence: [bothWays.evidence] },
    live,
    await checkReadOnly(part),
    await checkPermissions(part),
    await checkMask(part),
  ];
  const observed: Partial<Record<BindItem, Observation>> = Object.assign({}, ...parts.map((p) => p.observed));
  const evidence = parts.flatMap((p) => p.evidence);
  const hostUnchanged = observed['host files unchanged by refused writes'] === 'survives';
  const seenAfterMs = live.seenAfterMs;
  const items: ItemOutcome[] = BIND_ITEMS.map((item) => ({ item, expected: expected[item], observed: observed[item] ?? 'absent' }));
  return itemsRecord({
    trial,
    items,
    observed: hostUnchanged ? 'survives' : 'lost',
    measurements: { 'host edit → served': { clock: 'harness', ms: [seenAfterMs] } },
    imageId: (await docker().getImage(context.images.toolbox.reference).inspect()).Id,
    serverVersion: 'shell in the toolbox image; nginx',
    evidence,
  });
}

async function checkLiveEdit({ scope, context }: Part): Promise<Findings & { seenAfterMs: number }> {
  const observed: Findings['observed'] = {};
  const evidence: string[] = [];
  // Live edit: nginx serves a bind-mounted folder; the host changes a file while it runs.
  const site = await scope.createHostFolder('bind-site');
  await writeFile(join(site, 'index.html'), '<p>version 1</p>\n');
  const web = await startNginx(scope, context.images.nginx.reference, [`${site}:/usr/share/nginx/html`]);
  const siteUrl = `http://${web.host}:${web.port}/index.html`;
  const v1 = (await httpRequest(siteUrl)).body.toString();
  const editedAt = stopwatch();
  await writeFile(join(site, 'index.html'), '<p>version 2</p>\n');
  const seenAfterMs = await untilServed(siteUrl, 'version 2');
  observed['host edit served without a restart'] = v1.includes('version 1') && seenAfterMs >= 0 ? 'visible' : 'absent';
  evidence.push(`live edit: served "version 1", edited on the host, "version 2" served ${editedAt.ms()} ms later, same container`);
  return { observed, evidence, seenAfterMs };
}

async function checkReadOnly({ scope, context, once }: Part): Promise<Findings> {
  const observed: Findings['observed'] = {};
  const evidence: string[] = [];
  // :ro on a folder, and the same folder without it.
  const config = await scope.createHostFolder('bind-config');
  await writeFile(join(config, 'app.conf'), 'setting=1\n');
  const roWrite = await once('echo changed > /app/config/app.conf && touch /app/config/new-file', [`${config}:/app/config:ro`]);
  observed['write into a :ro folder'] = roWrite.exitCode !== 0 ? 'refused' : 'allowed';
  evidence.push(`write into ${config}:/app/config:ro: ${roWrite.exitCode !== 0 ? `refused (${firstLine(roWrite.logs)})` : 'allowed'}`);
  const rwFolder = await scope.createHostFolder('bind-config-rw');
  const rwWrite = await once('touch /app/config/new-file', [`${rwFolder}:/app/config`]);
  observed['write into the same folder without :ro'] = rwWrite.exitCode === 0 ? 'allowed' : 'refused';

  // :ro on a single file: the seed's nginx.conf, which must also be the config nginx runs.
  const confDir = await scope.createHostFolder('bind-nginx-conf');
  const confToken = randomBytes(6).toString('hex');
  const nginxConf = `events {}\nhttp {\n  server {\n    listen 80;\n    location / { add_header X-Harness-Config ${confToken}; return 200 "configured\\n"; }\n  }\n}\n`;
  await writeFile(join(confDir, 'nginx.conf'), nginxConf);
  const configured = await startNginx(scope, context.images.nginx.reference, [`${join(confDir, 'nginx.conf')}:/etc/nginx/nginx.conf:ro`]);
  const answer = await fetch(`http://${configured.host}:${configured.port}/`);
  observed['the :ro nginx.conf is in effect'] = answer.headers.get('x-harness-config') === confToken ? 'visible' : 'absent';
  const fileWriteResult = (await configured.container.exec(['sh', '-c', 'echo "# changed" >> /etc/nginx/nginx.conf'])).exitCode;
  observed['write to a :ro single file (nginx.conf)'] = fileWriteResult !== 0 ? 'refused' : 'allowed';
  evidence.push(
    `nginx.conf bound :ro: served with its header (${answer.headers.get('x-harness-config') === confToken ? 'config in effect' : 'config NOT in effect'}); appending to it inside ${fileWriteResult !== 0 ? 'was refused' : 'was allowed'}`,
  );
  const hostUnchanged =
    (await readFile(join(config, 'app.conf'), 'utf8')) === 'setting=1\n' &&
    !(await readdir(config)).includes('new-file') &&
    (await readFile(join(confDir, 'nginx.conf'), 'utf8')) === nginxConf;
  observed['host files unchanged by refused writes'] = hostUnchanged ? 'survives' : 'lost';
  return { observed, evidence };
}

async function checkPermissions({ scope, once }: Part): Promise<Findings> {
  const observed: Findings['observed'] = {};
  const evidence: string[] = [];
  // Permissions: the seed's "permission denied", and both of its fixes.
  const owned = await scope.createHostFolder('bind-root-owned');
  const asApp = `${APP_UID}:${APP_UID}`;
  const denied = await once('touch /data/written-by-app', [`${owned}:/data`], asApp);
  observed['non-root container writing a root-owned folder'] = denied.exitCode !== 0 ? 'refused' : 'allowed';
  evidence.push(
    `uid ${APP_UID} writing a folder owned by uid ${process.getuid?.() ?? '?'} (mode 755): ${denied.exitCode !== 0 ? `refused (${firstLine(denied.logs)})` : 'allowed'}`,
  );
  const chowned = await scope.createHostFolder('bind-chowned');
  const canChown = await chown(chowned, APP_UID, APP_UID).then(
    () => true,
    () => false,
  );
  const afterChown = canChown ? await once('touch /data/written-by-app', [`${chowned}:/data`], asApp) : undefined;
  observed['after chown on the host'] = afterChown?.exitCode === 0 ? 'allowed' : 'refused';
  evidence.push(
    canChown
      ? `after chown ${APP_UID}:${APP_UID} on the host: ${afterChown?.exitCode === 0 ? 'allowed' : 'refused'}`
      : 'chown on the host needs root here: not tried',
  );
  const ownerIds = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const asOwner = await once('touch /data/written-by-owner', [`${owned}:/data`], ownerIds);
  observed['with --user set to the folder owner'] = asOwner.exitCode === 0 ? 'allowed' : 'refused';
  evidence.push(`with --user ${ownerIds} (the folder's owner, as $(id -u):$(id -g)): ${asOwner.exitCode === 0 ? 'allowed' : 'refused'}`);
  return { observed, evidence };
}

async function checkMask({ scope, context }: Part): Promise<Findings> {
  const observed: Findings['observed'] = {};
  const evidence: string[] = [];
  // The anonymous-volume mask: -v ${PWD}:/app -v /app/node_modules.
  const image = await imageWithModules(scope, context.images.toolbox.reference);
  const project = await scope.createHostFolder('bind-project');
  await mkdir(join(project, 'node_modules'));
  await writeFile(join(project, 'server.js'), 'host-server\n');
  await writeFile(join(project, 'node_modules', 'marker.js'), 'host-module\n');
  const masked = await runMasked(scope, image, project);
  const [module, server] = masked.split('\n');
  observed['masked folder keeps the image content'] = module === 'image-module' ? 'visible' : 'absent';
  observed['the rest of the tree comes from the host'] = server === 'host-server' ? 'visible' : 'absent';
  evidence.push(`-v ${project}:/app -v /app/node_modules: node_modules shows "${module}", server.js shows "${server}"`);
  return { observed, evidence };
}

type RunOnce = (script: string, binds: string[], user?: string) => Promise<{ id: string; exitCode: number; logs: string }>;

/** A file written on the host is read inside, and one written inside is read on the host. */
async function checkBothWays(
  once: RunOnce,
  hostFolder: string,
  mountSource: string,
): Promise<{ observed: Partial<Record<BindItem, Observation>>; evidence: string }> {
  const hostBytes = randomBytes(64 * 1024);
  await writeFile(join(hostFolder, 'from-host.bin'), hostBytes);
  const inside = await once(
    'sha256sum /data/from-host.bin 2>/dev/null | cut -d" " -f1; head -c 65536 /dev/urandom > /data/from-container.bin; sha256sum /data/from-container.bin | cut -d" " -f1',
    [`${mountSource}:/data`],
  );
  const lines = inside.logs.trim().split('\n');
  const [seenInside, writtenInside] = lines.length === 2 ? lines : ['', lines[0]];
  const onHost = await readFile(join(hostFolder, 'from-container.bin')).catch(() => Buffer.alloc(0));
  return {
    observed: {
      'host file in the container, same bytes': seenInside === sha256(hostBytes) ? 'visible' : 'absent',
      'container file on the host, same bytes': onHost.length > 0 && sha256(onHost) === writtenInside ? 'visible' : 'absent',
    },
    evidence: `both ways (${mountSource}:/data): host file sha256 ${sha256(hostBytes).slice(0, 16)}… seen inside as ${seenInside ? `${seenInside.slice(0, 16)}…` : 'nothing'}; container file sha256 ${writtenInside?.slice(0, 16)}… on the host as ${onHost.length > 0 ? `${sha256(onHost).slice(0, 16)}…` : 'nothing'}`,
  };
}

/**
 * The negative control: the both-ways check with a named volume mounted where the host folder
 * should be, the mistake of `-v data:/app` for `-v ${PWD}:/app`. It must report both absent.
 */
export async function runBindControl(scenario: string, context: BindContext): Promise<ControlResult> {
  const id = 'toolbox/named-volume/none/volume-instead-of-bind';
  const items = ['host file in the container, same bytes', 'container file on the host, same bytes'] as const;
  const runTrial = async (trial: number, scope: RunScope): Promise<TrialRecord> => {
    const folder = await scope.createHostFolder('bind-control');
    const volume = await scope.createVolume('not-the-host-folder');
    const once: RunOnce = (script, binds, user) => runOnce(scope, context.images.toolbox.reference, script, binds, user);
    const check = await checkBothWays(once, folder, volume);
    const outcomes: ItemOutcome[] = items.map((item) => ({ item, expected: 'visible', observed: check.observed[item] ?? 'absent' }));
    return itemsRecord({
      trial,
      items: outcomes,
      observed: 'lost',
      imageId: (await docker().getImage(context.images.toolbox.reference).inspect()).Id,
      serverVersion: 'shell in the toolbox image',
      evidence: [check.evidence],
    });
  };
  const identity = identify(
    { target: 'toolbox', storage: 'named-volume', disruption: 'none', variant: 'volume-instead-of-bind' },
    { scenario, title: 'Bind mounts: a named volume where the host folder should be', expected: 'survives' },
  );
  const cell = await runDrill({ identity, image: context.images.toolbox.reference, runTrial }, { ...context, trials: 1 });
  return negativeControl(cell, {
    id,
    title: 'a named volume where the host folder should be',
    sabotage: 'the container mounts a named volume at /data instead of the host folder',
    observed: 'any',
    caughtWhen: (c) => (c.items ?? []).every((item) => item.observed === 'absent'),
  });
}

/** A container that runs one script and exits; its output and exit code are the answer. */
function runOnce(scope: RunScope, image: string, script: string, binds: string[], user?: string, keep = false): Promise<OneShotResult> {
  return runOneShot(scope, { image, script, binds, purpose: 'bind-check', keep, ...(user ? { user } : {}) });
}

async function startNginx(scope: RunScope, image: string, binds: string[]): Promise<{ container: StartedTestContainer; host: string; port: number }> {
  const [first, ...rest] = binds.map((bind) => {
    const [source, target, mode] = bind.split(':');
    return { source: source!, target: target!, mode: (mode === 'ro' ? 'ro' : 'rw') as 'ro' | 'rw' };
  });
  const started = await new HostOnlyContainer(image)
    .withBindMounts([first!, ...rest])
    .withExposedPorts(80)
    .withLabels(scope.labels('bind-nginx'))
    .withWaitStrategy(new ContainerRunning())
    .start();
  scope.trackContainer(started.getId());
  const port = await mappedPort(started.getId(), 80);
  await untilServed(`http://${started.getHost()}:${port}/`, '');
  return { container: started, host: started.getHost(), port };
}

/** Milliseconds until the URL answers 200 with the text in its body. */
async function untilServed(url: string, text: string): Promise<number> {
  const started = stopwatch();
  await pollUntil(
    url,
    (answer) => answer.status === 200 && answer.body.toString().includes(text),
    `Waiting for ${url} to serve "${text}"`,
    LIVE_EDIT_TIMEOUT_MS,
    20,
  );
  return started.ms();
}

/** An image with content in /app/node_modules, made by committing a labelled container. */
async function imageWithModules(scope: RunScope, base: string): Promise<string> {
  const builder = await runOnce(
    scope,
    base,
    'mkdir -p /app/node_modules && echo image-module > /app/node_modules/marker.js && echo image-server > /app/server.js',
    [],
    undefined,
    true,
  );
  if (builder.exitCode !== 0) throw new Error(`could not prepare the image: ${builder.logs}`);
  const repo = `persistence-harness-scratch/${scope.uniqueName('modules')}`;
  const committed = await docker()
    .getContainer(builder.id)
    .commit({ repo, tag: 'latest', changes: `LABEL persistence-harness.run=${scope.runId}` });
  scope.trackImage(committed.Id as string);
  return `${repo}:latest`;
}

async function runMasked(scope: RunScope, image: string, project: string): Promise<string> {
  const container = await docker().createContainer({
    Image: image,
    Cmd: ['sh', '-c', 'cat /app/node_modules/marker.js /app/server.js'],
    Labels: scope.labels('bind-mask'),
    Volumes: { '/app/node_modules': {} },
    HostConfig: { Binds: [`${project}:/app`] },
  });
  scope.trackContainer(container.id);
  await container.start();
  return (await waitForExit(container.id)).logs.trim();
}
