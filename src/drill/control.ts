// Negative controls: setups broken on purpose. A control is caught when its drill came out
// failed and showed the damage it must show; a check that cannot fail proves nothing, so a
// control that is not caught fails the suite with the evidence it did produce.
import type { CellResult, ControlResult, Outcome } from '../report/model.ts';

export interface ControlSpec {
  title: string;
  /** What was broken on purpose. */
  sabotage: string;
  /** What the drill must report; 'any' for controls whose damage is not lost data (tmpfs that kept it). */
  observed?: Outcome | 'any';
  /** The damage the drill must show besides failing with that observation. */
  caughtWhen?: (cell: CellResult) => boolean;
  /** Defaults to the drill's id with /control. */
  id?: string;
}

export function negativeControl(cell: CellResult, spec: ControlSpec): ControlResult {
  const observed = spec.observed ?? 'lost';
  const showsDamage = spec.caughtWhen ?? (() => true);
  return {
    id: spec.id ?? `${cell.id}/control`,
    scenario: cell.scenario,
    title: spec.title,
    sabotage: spec.sabotage,
    caught: cell.status === 'failed' && (observed === 'any' || cell.observed === observed) && showsDamage(cell),
    cell,
  };
}

/** The cell's evidence has a line that matches: the damage named, not just a failure. */
export function evidenceShows(pattern: RegExp | string): (cell: CellResult) => boolean {
  return (cell) => cell.evidence.some((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));
}
