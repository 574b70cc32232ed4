// An image built FROM another with a few Dockerfile lines, as a user derives their own image
// from an official one. The negative controls use it for settings that live in the image itself
// (an ENV PGDATA, a CMD with --datadir): the harness must judge such an image as it is configured.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';

/** Builds `FROM base` plus the lines, labelled with the run (removed with it); returns the image id. */
export async function deriveImage(scope: RunScope, base: string, lines: string[], purpose: string): Promise<string> {
  const folder = await scope.createHostFolder(`${purpose}-build`);
  const labels = Object.entries(scope.labels(purpose)).map(([key, value]) => `LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`);
  await writeFile(join(folder, 'Dockerfile'), [`FROM ${base}`, ...labels, ...lines, ''].join('\n'));
  const stream = await docker().buildImage({ context: folder, src: ['Dockerfile'] }, { t: scope.uniqueName(purpose), pull: false });
  const output = await new Promise<Array<{ aux?: { ID?: string }; error?: string }>>((resolve, reject) => {
    docker().modem.followProgress(stream, (error: Error | null, result: Array<{ aux?: { ID?: string }; error?: string }>) =>
      error ? reject(error) : resolve(result),
    );
  });
  const failure = output.find((event) => event.error !== undefined)?.error;
  const id = output.find((event) => event.aux?.ID !== undefined)?.aux?.ID;
  if (failure !== undefined || id === undefined) {
    throw new HarnessError(
      `Building an image FROM ${base} failed: ${failure ?? 'the engine named no image'}.`,
      `Check that ${base} is on this machine (\`persist doctor\`).`,
    );
  }
  scope.trackImage(id);
  return id;
}
