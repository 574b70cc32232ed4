// A benchmark command in a container: its output, or an error that quotes the end of it.
import { execIn } from '../docker/exec.ts';
import { HarnessError } from '../errors.ts';
import { lastLines } from '../terminal/last-lines.ts';

export async function runTool(containerId: string, command: string[], what: string, env?: Record<string, string>): Promise<string> {
  const result = await execIn(containerId, command, env ? { env } : {});
  const stdout = result.stdout.toString('utf8');
  if (result.exitCode !== 0) {
    throw new HarnessError(
      `${what} failed with exit code ${result.exitCode}: ${lastLines(`${stdout}\n${result.stderr}`)}`,
      'See the output above; the benchmark tools run in the bench image (persist images build).',
    );
  }
  return stdout;
}
