// How much room a benchmark's dataset takes on each storage type, measured the way each is
// looked at: a named volume and a writable layer as `docker system df -v` reports them (the
// engine's own accounting), a bind folder and a tmpfs with `du` inside the container.
import type { Performance } from '../report/model.ts';
import type { StoragePlacement } from '../storage/placement.ts';
import { runTool } from './bench-exec.ts';
import { volumeSize, writableLayerSize } from './engine-accounting.ts';

export type SpaceFigure = Pick<Performance['space'][number], 'bytes' | 'source'>;

export async function spaceUsed(placement: StoragePlacement, containerId: string): Promise<SpaceFigure> {
  switch (placement.kind) {
    case 'named-volume':
      return { bytes: await volumeSize(placement.source ?? ''), source: `docker system df -v: volume ${placement.source}` };
    case 'container-layer':
      return {
        bytes: await writableLayerSize(containerId),
        source: "docker system df -v: the container's writable layer (everything it wrote, not only the data)",
      };
    default: {
      const output = await runTool(containerId, ['du', '-sb', placement.dataPath], 'du');
      const bytes = Number(output.trim().split(/\s+/)[0]);
      return { bytes: Number.isFinite(bytes) ? bytes : null, source: `du -sb ${placement.dataPath} in the container` };
    }
  }
}
