// How a power-loss trial is judged, apart from running it. A cut copies the disk at one instant:
// writes acknowledged after that instant could not be on it (in a real power cut no client would
// have heard of them), so they are not judged; nor, with the sync control, those acknowledged
// after the sync began. Of the rest, Jepsen's set checker counts lost and unexpected writes.
import type { LedgerLog } from '../probes/ledger.ts';
import type { AcknowledgedWrites, Outcome } from '../report/model.ts';
import { round } from '../timing/clock.ts';

/** How long before the failure the earliest lost write was acknowledged; null when none was lost. */
export function lossWindowMs(judged: LedgerLog, present: Iterable<number>, failedAt: number): number | null {
  const there = new Set(present);
  const lost = judged.acknowledged.filter((w) => !there.has(w.id));
  if (lost.length === 0) return null;
  // Both on the harness's clock. After a SIGKILL every acknowledgement is judged, and one can still
  // arrive after \`docker kill\` returned (sent before the process died, in flight): a lost write
  // of those was lost at the failure itself, a window of 0, not a negative one.
  return round(Math.max(0, failedAt - Math.min(...lost.map((w) => w.at))));
}

export interface RecoveryFacts {
  writes: Pick<AcknowledgedWrites, 'lost' | 'unexpected'>;
  serverStarted: boolean;
  /** Started, read the ledger back, and its integrity check (where it has one) found nothing. */
  recoveredCleanly: boolean;
}

/** A server that did not come back lost everything it had acknowledged. */
export function powerLossObserved(facts: RecoveryFacts): Outcome {
  return facts.serverStarted && facts.writes.lost === 0 && facts.writes.unexpected === 0 ? 'survives' : 'lost';
}

/**
 * Where the setting promises the failure loses nothing, any loss, any write that was never made,
 * or an unclean recovery fails the trial. Where it promises nothing, the loss is the measurement:
 * the trial fails only on what no setting allows (a write that was never made, a server that
 * did not come back cleanly).
 */
export function powerLossMatches(facts: RecoveryFacts & { guaranteed: boolean }): boolean {
  if (facts.writes.unexpected > 0 || !facts.recoveredCleanly) return false;
  return facts.guaranteed ? facts.writes.lost === 0 : true;
}

/** When in the write load the failure comes: it moves from trial to trial, over 1.5 s. */
export function failAfterMs(trial: number): number {
  return 800 + (((trial - 1) * 617) % 1_500);
}
