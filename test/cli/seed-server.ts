// A source server for the verify tests: started with its label and environment, ready once its
// own command says so. The tests dump it the way teams dump theirs.
import { execa } from 'execa';
import { deadlineIn, sleep } from '../../src/timing/clock.ts';

export async function startSeedServer(
  image: string,
  env: readonly string[],
  ready: string,
  runArgs: readonly string[],
  command: readonly string[] = [],
): Promise<string> {
  const { stdout } = await execa('docker', ['run', '-d', ...runArgs, ...env.flatMap((e) => ['-e', e]), image, ...command]);
  const id = stdout.trim();
  const deadline = deadlineIn(120_000);
  while ((await execa('docker', ['exec', id, 'sh', '-c', ready], { reject: false })).exitCode !== 0) {
    if (deadline.passed()) throw new Error(`${image} did not start`);
    await sleep(250);
  }
  return id;
}
