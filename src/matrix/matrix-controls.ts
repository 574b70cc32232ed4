// Negative controls: deliberately broken setups. Each must be reported as "lost" and "failed",
// or the check it sabotages could never fail and would prove nothing.
import { dirname, join } from 'node:path';
import type { ControlResult } from '../report/model.ts';
import { evidenceShows, negativeControl } from '../drill/control.ts';
import { deriveImage } from '../images/derived.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { cellId, runCell, type CellContext } from './run-cell.ts';

/**
 * The volume goes to a sibling of the data directory, a typo users really make. The service
 * then writes to its image's default location (an anonymous volume in the official images,
 * the writable layer otherwise), and a recreate starts it without its data.
 */
export async function wrongMountPathControl(scenario: string, target: DatabaseTarget, context: CellContext): Promise<ControlResult> {
  const { dataMount } = await dataLayoutOf(context.image.reference, target.dataPaths);
  const mountPath = join(dirname(dataMount), 'not-the-data-directory');
  const spec = { scenario, target, storage: 'named-volume', disruption: 'recreate', expected: 'survives', placement: { mountPath } } as const;
  const cell = await runCell(spec, { ...context, trials: 1 });
  return negativeControl(cell, {
    id: `${cellId(spec)}/wrong-mount-path`,
    title: `${target.displayName}: named volume mounted at the wrong path, recreate`,
    sabotage: `the volume is mounted at ${mountPath}; the image keeps its data under ${dataMount}`,
  });
}

/** Where the derived image of the next control keeps its data: outside every VOLUME it declares. */
const DATA_DIR_ELSEWHERE = '/srv/data-outside-the-volume';

/**
 * A user's image whose own settings keep the data outside its declared VOLUME (an `ENV PGDATA`
 * in a Dockerfile FROM the official image). Storage mounted at the VOLUME then protects nothing:
 * a recreate must be reported as lost, which only holds if the harness never tells the server
 * where to keep its data.
 */
export async function dataOutsideVolumeControl(
  scenario: string,
  target: DatabaseTarget,
  storage: 'named-volume' | 'bind-mount',
  context: CellContext,
): Promise<ControlResult> {
  const lines = target.dataDirInImage(DATA_DIR_ELSEWHERE);
  const image = await deriveImage(context.scope, context.image.reference, lines, `${target.name}-data-elsewhere`);
  const spec = { scenario, target, storage, disruption: 'recreate', expected: 'survives' } as const;
  const cell = await runCell(spec, { ...context, trials: 1, image: { ...context.image, reference: image, source: 'override' } });
  return negativeControl(cell, {
    id: `${cellId(spec)}/data-outside-volume`,
    title: `${target.displayName}: an image that keeps its data outside its VOLUME, ${storage}, recreate`,
    sabotage: `an image built FROM ${context.image.reference} with \`${lines.join('; ')}\`: the storage is mounted at the image's VOLUME, the server writes elsewhere`,
    // The evidence must say why: the server's data directory is not on the storage under test.
    caughtWhen: evidenceShows('NOT under'),
  });
}
