// Builds the stand-in images for air-gapped machines: a Debian base made with debootstrap and
// `docker import`, then each images/<name>/Dockerfile on top of it. Each step is skipped when
// the image exists with the same content hash, so running it again costs a few seconds.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { standInBuilds, SUITES, type Suite } from '../services/registry.ts';
import { checkEngine, inspectImage } from '../docker/engine.ts';
import { HarnessError } from '../errors.ts';
import { CONTENT_HASH_LABEL, hashFolder } from './content-hash.ts';
import { stopwatch } from '../timing/clock.ts';

const IMAGES_DIR = new URL('../../images/', import.meta.url).pathname;

export { SUITES, type Suite };

export function baseImage(suite: Suite): string {
  return `persistence-harness/debian-base:${suite}`;
}

/** Build order: a variant after the image whose layers it shares (the registry's order). */
export const STAND_INS = standInBuilds();

export interface BuildOptions {
  force: boolean;
  log: (line: string) => void;
}

export async function buildStandIns(options: BuildOptions): Promise<void> {
  await checkEngine();
  const baseHashes = new Map<Suite, string>();
  for (const suite of SUITES) baseHashes.set(suite, await ensureBase(suite, options));
  for (const { reference, folder, suite, buildArgs } of STAND_INS) {
    const dir = join(IMAGES_DIR, folder);
    const args = { DEBIAN_SUITE: suite, ...buildArgs };
    const hash = await hashFolder(dir, `${baseHashes.get(suite)}\0${JSON.stringify(args)}`);
    const existing = await inspectImage(reference);
    if (!options.force && existing?.labels[CONTENT_HASH_LABEL] === hash) {
      options.log(`${reference}: up to date (${hash})`);
      continue;
    }
    options.log(`${reference}: building from images/${folder} (${existing ? 'changed' : 'missing'})…`);
    const started = stopwatch();
    const buildArgFlags = Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]);
    await withBuildContext(dir, options.log, (context) =>
      runStreaming('docker', ['build', ...buildArgFlags, '--label', `${CONTENT_HASH_LABEL}=${hash}`, '-t', reference, context], options.log),
    );
    options.log(`${reference}: built in ${(started.ms() / 1000).toFixed(1)} s`);
  }
}

async function ensureBase(suite: Suite, options: BuildOptions): Promise<string> {
  const reference = baseImage(suite);
  const confFile = join(IMAGES_DIR, 'base', `${suite}.conf`);
  const conf = await readFile(confFile, 'utf8');
  const hash = createHash('sha256').update(conf).digest('hex').slice(0, 16);
  const existing = await inspectImage(reference);
  if (!options.force && existing?.labels[CONTENT_HASH_LABEL] === hash) {
    options.log(`${reference}: up to date (${hash})`);
    return hash;
  }
  const settings = parseSettings(conf, confFile);
  await requireCommand('debootstrap', 'Install it with `apt-get install -y debootstrap` (it needs root).');
  const rootfs = await mkdtemp(join(tmpdir(), 'persistence-harness-rootfs-'));
  try {
    options.log(`${reference}: debootstrap ${settings.variant} ${settings.suite} (about 30 s)…`);
    const started = stopwatch();
    await runStreaming('debootstrap', [`--variant=${settings.variant}`, settings.suite, rootfs, settings.mirror], () => undefined);
    options.log(`${reference}: importing the root filesystem…`);
    // A shell pipeline streams the 200 MB tarball; buffering it in this process would not.
    await execa('bash', [
      '-c',
      'set -o pipefail; tar -C "$0" -c . | docker import --change "$1" - "$2"',
      rootfs,
      `LABEL ${CONTENT_HASH_LABEL}=${hash}`,
      reference,
    ]);
    options.log(`${reference}: made in ${(started.ms() / 1000).toFixed(1)} s`);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  return hash;
}

/**
 * The folder as the build's context; where it holds npm lockfiles, a copy with each one's
 * modules installed by `npm ci` on the host first (containers reach no npm registry here, the
 * host does). The lockfiles are in the folder, so its content hash covers what is installed.
 */
async function withBuildContext(dir: string, log: (line: string) => void, build: (context: string) => Promise<void>): Promise<void> {
  const lockfiles = (await readdir(dir, { recursive: true })).filter((file) => basename(file) === 'package-lock.json' && !file.includes('node_modules'));
  if (lockfiles.length === 0) return build(dir);
  const context = await mkdtemp(join(tmpdir(), 'persistence-harness-context-'));
  try {
    await cp(dir, context, { recursive: true });
    for (const lockfile of lockfiles) {
      log(`  npm ci in ${dirname(lockfile) === '.' ? 'the context' : dirname(lockfile)} (on the host)`);
      await runStreaming(
        'npm',
        ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', join(context, dirname(lockfile))],
        () => undefined,
        'the npm registry must be reachable from this machine',
      );
    }
    await build(context);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

function parseSettings(text: string, file: string): { suite: string; variant: string; mirror: string } {
  const values = Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const { suite, variant, mirror } = values;
  if (!suite || !variant || !mirror) throw new Error(`${file} must set suite, variant and mirror`);
  return { suite, variant, mirror };
}

async function requireCommand(command: string, fix: string): Promise<void> {
  const found = await execa('sh', ['-c', `command -v ${command}`], { reject: false });
  if (found.exitCode !== 0) throw new HarnessError(`${command} is not installed, and the base image must be made with it.`, fix);
}

/** Runs a build command, showing its step lines; on failure, the tail of its output. */
async function runStreaming(
  command: string,
  args: string[],
  log: (line: string) => void,
  needs = 'a Debian mirror reachable from containers is needed',
): Promise<void> {
  const child = execa(command, args, { all: true, reject: false, lines: false });
  const tail: string[] = [];
  child.all?.setEncoding('utf8');
  let pending = '';
  child.all?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 25) tail.shift();
      if (/^Step \d+\/\d+/.test(line)) log(`  ${line.slice(0, 110)}`);
    }
  });
  const result = await child;
  if (result.exitCode !== 0) {
    throw new HarnessError(
      `\`${command} ${args.slice(0, 2).join(' ')} …\` failed with exit code ${result.exitCode}:\n    ${[...tail, pending].filter(Boolean).slice(-15).join('\n    ')}\n`,
      `Fix the cause above (${needs}) and run \`persist images build\` again.`,
    );
  }
}
