// Negative controls: deliberately broken setups. Each must be reported as "lost" and "failed",
// or the check it sabotages could never fail and would prove nothing.
import { dirname, join } from 'node:path';
import type { ControlResult } from '../report/model.ts';
import type { DatabaseTarget } from '../targets/target.ts';
import { cellId, runCell, type CellContext } from './run-cell.ts';

/**
 * The volume goes to a sibling of the data directory, a typo users really make. The service
 * then writes to its image's default location (an anonymous volume in the official images,
 * the writable layer otherwise), and a recreate starts it without its data.
 */
export async function wrongMountPathControl(scenario: string, target: DatabaseTarget, context: CellContext): Promise<ControlResult> {
  const mountPath = join(dirname(target.location.dataDir), 'not-the-data-directory');
  const spec = { scenario, target, storage: 'named-volume', disruption: 'recreate', expected: 'survives', placement: { mountPath } } as const;
  const cell = await runCell(spec, { ...context, trials: 1 });
  return {
    id: `${cellId(spec)}/wrong-mount-path`,
    scenario,
    title: `${target.displayName}: named volume mounted at the wrong path, recreate`,
    sabotage: `the volume is mounted at ${mountPath}; the data directory stays ${target.location.dataDir}`,
    caught: cell.status === 'failed' && cell.observed === 'lost',
    cell,
  };
}
