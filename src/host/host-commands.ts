// The engine host's own tools (losetup, mkfs, mount, cp), run as this process: the power-cut
// disks live on the host the engine runs on, which `power-cut-support.ts` makes sure is this one.
import { execa } from 'execa';
import { HarnessError } from '../errors.ts';

/** Runs a host command; a failure is a HarnessError naming the command and its last words. */
export async function host(command: string, args: string[]): Promise<string> {
  const result = await execa(command, args, { reject: false, all: true });
  if (result.exitCode !== 0) {
    const said = (result.all ?? '').trim().split('\n').slice(-2).join(' ');
    throw new HarnessError(
      `\`${command} ${args.join(' ')}\` failed (exit ${result.exitCode ?? 'none'}): ${said || 'no output'}.`,
      'Run `persist doctor`: it says whether power cuts can run on this machine.',
    );
  }
  return result.stdout;
}

/** The same, for a command whose exit code is the answer (e2fsck): never throws on a non-zero exit. */
export async function hostAnswer(command: string, args: string[]): Promise<{ exitCode: number; output: string }> {
  const result = await execa(command, args, { reject: false, all: true });
  return { exitCode: result.exitCode ?? -1, output: (result.all ?? '').trim() };
}
