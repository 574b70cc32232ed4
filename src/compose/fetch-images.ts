// `persist check --pull` / `--build` (and verify's for --app): what the user asked for, and only
// that. Nothing fetches a project's image on its own; with these flags the images found missing
// are pulled or built first, with the user's own Compose options, as `docker compose pull|build` would.
import { execa } from 'execa';
import type { MissingImage } from './audit-project.ts';
import { composeArgs, type ComposeOptions } from './compose-cli.ts';
import { HarnessError } from '../errors.ts';

export interface FetchChoice {
  /** --pull: pull the missing images of services that do not build. */
  pull?: boolean;
  /** --build: build the missing images of services that build. */
  build?: boolean;
}

/** The missing images this choice fetches, as the Compose verb and its services. */
export function fetchPlan(missing: readonly MissingImage[], choice: FetchChoice): Array<{ verb: 'pull' | 'build'; services: string[] }> {
  const of = (verb: 'pull' | 'build') => missing.filter((entry) => entry.verb === verb).map((entry) => entry.service);
  return [
    ...(choice.pull && of('pull').length > 0 ? [{ verb: 'pull' as const, services: of('pull') }] : []),
    ...(choice.build && of('build').length > 0 ? [{ verb: 'build' as const, services: of('build') }] : []),
  ];
}

/** Runs each fetch; a pull or build that fails stops the check with Compose's own last words. */
export async function fetchImages(
  options: ComposeOptions,
  missing: readonly MissingImage[],
  choice: FetchChoice,
  progress: (line: string) => void,
): Promise<number> {
  let fetched = 0;
  for (const { verb, services } of fetchPlan(missing, choice)) {
    progress(`${verb}: ${services.join(', ')}`);
    const result = await execa('docker', ['compose', ...composeArgs(options), verb, ...services], { reject: false, all: true });
    if (result.exitCode !== 0) {
      const last = (result.all ?? '').trim().split('\n').slice(-3).join(' / ');
      throw new HarnessError(
        `\`docker compose ${verb} ${services.join(' ')}\` failed (exit ${result.exitCode}): ${last}`,
        verb === 'pull'
          ? 'Check that the registry is reachable and that you are logged in to it (docker login), or leave out --pull.'
          : 'Fix the build, or leave out --build.',
      );
    }
    fetched += services.length;
  }
  return fetched;
}
