// What a development-loop trial is judged by: pure, so the rules are unit-tested apart from
// any container. Delays are reported, never judged: how fast a reload is depends on the machine.
import type { ItemOutcome, Observation, Outcome } from '../report/model.ts';

export type DevloopSetup = 'loop' | 'without-modules-volume' | 'baked' | 'named-volume';

export interface LoopObservation {
  /** The app answered / after it started. */
  answered: boolean;
  editsMade: number;
  editsSeen: number;
  /** null where the step was not run (controls and the trap run fewer steps). */
  renameSeen: boolean | null;
  /** Whether an edit after the syntax error's was served again. */
  servedAfterSyntaxError: boolean | null;
}

export const ITEMS = {
  answers: 'the app answers /',
  edits: 'every edit on the host served',
  rename: 'an edit saved by renaming a new file over the old served',
  recovery: 'served again after a syntax error, on the next good edit',
} as const;

export interface Expectation {
  /** The trap: the app must not start at all. */
  starts: boolean;
  /** Where the loop works, every edit is served; the controls' edits never reach the app. */
  editsServed: boolean;
  /** nodemon waits for the next good edit; the seed's `python app.py` exits with its reloader. */
  recoversAfterSyntaxError?: boolean;
}

const seen = (flag: boolean): Observation => (flag ? 'visible' : 'absent');

export function judgeDevloop(observation: LoopObservation, expectation: Expectation): { items: ItemOutcome[]; observed: Outcome } {
  const items: ItemOutcome[] = [{ item: ITEMS.answers, expected: seen(expectation.starts), observed: seen(observation.answered) }];
  if (expectation.starts) {
    const allSeen = observation.editsMade > 0 && observation.editsSeen === observation.editsMade;
    items.push({ item: ITEMS.edits, expected: seen(expectation.editsServed), observed: seen(allSeen) });
  }
  if (observation.renameSeen !== null) items.push({ item: ITEMS.rename, expected: 'visible', observed: seen(observation.renameSeen) });
  if (observation.servedAfterSyntaxError !== null && expectation.recoversAfterSyntaxError !== undefined) {
    items.push({ item: ITEMS.recovery, expected: seen(expectation.recoversAfterSyntaxError), observed: seen(observation.servedAfterSyntaxError) });
  }
  const loopWorks = observation.answered && observation.editsMade > 0 && observation.editsSeen === observation.editsMade && observation.renameSeen !== false;
  return { items, observed: loopWorks ? 'survives' : 'lost' };
}
