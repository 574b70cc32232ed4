// What every benchmark shares with `persist run`: the image set chosen the same way (`--images
// local|official` after `npm run bench:… --`, else PERSIST_IMAGES, else the official images),
// every image it starts checked before anything starts (a stand-in is never pulled: `persist
// images build` makes it; an official image is pulled as a run pulls it), and a harness error
// ended in one sentence and exit 2, as the CLI ends it. Air-gapped, `--images local` is the way.
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { type HarnessConfig, type ImageTarget, loadConfig } from '../src/config.ts';
import { checkEngine, ensureImage } from '../src/docker/engine.ts';
import { describeError } from '../src/errors.ts';

/** The settings of a run, with the image set `--images` names on the command line. */
export function benchConfig(argv: string[] = process.argv.slice(2)): HarnessConfig {
  const { values } = parseArgs({ args: argv, options: { images: { type: 'string' } }, strict: false, allowPositionals: true });
  const images = typeof values.images === 'string' ? { PERSIST_IMAGES: values.images } : {};
  return loadConfig({ ...process.env, ...images });
}

/** The engine answers and each image is on this machine (an official one pulled, a stand-in never). */
export async function needImages(config: HarnessConfig, targets: readonly ImageTarget[]): Promise<void> {
  await checkEngine();
  for (const target of targets) await ensureImage(config.images[target].reference, config.images[target].source === 'local');
}

/** The images a Compose project names, as Compose interpolates them, each on this machine (stand-ins never pulled). */
export async function needProjectImages(config: HarnessConfig, composeArgs: string[]): Promise<void> {
  await checkEngine();
  const { stdout } = await execa('docker', ['compose', ...composeArgs, 'config', '--images']);
  for (const reference of stdout.split('\n').filter(Boolean)) await ensureImage(reference, config.imageSet === 'local');
}

/** Runs the benchmark; what stops it is one line on stderr and exit 2. */
export async function runBench(name: string, bench: () => Promise<void>): Promise<void> {
  try {
    await bench();
  } catch (error) {
    const sentence = describeError(error).split('\n')[0]?.trim() || 'it stopped without a message';
    process.stderr.write(`${name}: ${sentence}\n`);
    process.exitCode = 2;
  }
}
