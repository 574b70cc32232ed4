// `persist clean`: removes leftovers of earlier runs, selected by the run label only.
import { rm } from 'node:fs/promises';
import { removeRunResources } from '../docker/cleanup.ts';
import { checkEngine } from '../docker/engine.ts';
import { harnessTempRoot, runTempRoot } from '../docker/run-scope.ts';

export async function cleanCommand(options: { run?: string }, print: (line: string) => void): Promise<number> {
  await checkEngine();
  const removed = await removeRunResources(options.run);
  await rm(options.run ? runTempRoot(options.run) : harnessTempRoot(), { recursive: true, force: true });
  const scope = options.run ? `run ${options.run}` : 'all runs';
  const disks = removed.disks ? `, released ${removed.disks} power-cut disk mounts and loop devices` : '';
  print(
    `Removed ${removed.containers} containers, ${removed.volumes} volumes and ${removed.networks} networks labelled by ${scope}${disks}, and their host folders.`,
  );
  return 0;
}
