// The verdict of `persist check` for one service × data path × disruption, from three outcomes
// kept apart: what the user needs (required), what the audit said would happen (predicted) and
// what the copy showed (observed). The status compares observed with required: a stack that
// loses data fails. Observed against predicted is the harness's own honesty: where they differ,
// its model of Docker and Compose (or the engine) did not behave as documented, a surprise.
import type { Fate } from '../compose/storage-map.ts';
import type { CheckVerdict } from '../report/check-exit-code.ts';

/** unavailable: the service did not come back (exited, never got ready, refused its data). */
export type Observed = Fate | 'unavailable';

/** required: what the user needs after the disruption (its drill says: check/drills/). */
export function judgeCheckCell(required: Fate | undefined, predicted: Fate | undefined, observed: Observed): CheckVerdict {
  const status = observed === 'unavailable' || (required !== undefined && observed !== required) ? 'failed' : 'passed';
  const surprise = observed !== 'unavailable' && predicted !== undefined && observed !== predicted;
  return { status, surprise };
}
