// One drill shape. Everything a scenario proves (a matrix cell, a kill under load, a stop mode,
// a backup and restore, an upgrade, the storage checks) is a Drill: what its result is about,
// the image it is reported under, and how to run one trial. runDrill runs the trials, each in a
// scope of its own, and assembles the result; a new drill is one module with one runTrial.
import type { ImageChoice } from '../config.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { CellResult, Disruption, Outcome } from '../report/model.ts';
import type { StorageKind } from '../storage/placement.ts';
import { assembleResult, type ResultIdentity, runTrials, type TrialRecord } from './assemble.ts';

/** What every drill is told: the scenario it belongs to, and what it must observe. */
export interface DrillSpec {
  scenario: string;
  expected: Outcome;
}

/** What every drill gets from its scenario. */
export interface DrillContext {
  scope: RunScope;
  trials: number;
}

/** A drill of one image (most of them). */
export interface ImageDrillContext extends DrillContext {
  image: ImageChoice;
}

export interface Drill {
  identity: ResultIdentity;
  /** The image reference the result is reported under. */
  image: string;
  runTrial(trial: number, scope: RunScope): Promise<TrialRecord>;
  /** Stops after a trial that settles the question (a control that already showed its loss). */
  stopEarly?(record: TrialRecord): boolean;
}

export async function runDrill(drill: Drill, context: DrillContext): Promise<CellResult> {
  const { records, error } = await runTrials(drill.identity.id, context.trials, context.scope, (trial, scope) => drill.runTrial(trial, scope), drill.stopEarly);
  return assembleResult(drill.identity, drill.image, records, error);
}

/** A drill of several images, by role (toolbox and nginx; service and toolbox). */
export interface ImagesDrillContext<Role extends string> extends DrillContext {
  images: Record<Role, ImageChoice>;
}

/** Where a result stands in the report; its id joins the four: target/storage/disruption[/variant]. */
export interface ResultPlace {
  target: string;
  storage: StorageKind;
  disruption: Disruption;
  variant?: string | undefined;
}

/** The id a place gives a result: target/storage/disruption[/variant], stable across runs. */
export function placeId(place: ResultPlace): string {
  return [place.target, place.storage, place.disruption, ...(place.variant ? [place.variant] : [])].join('/');
}

/** A result's identity. The id follows from its place unless one is given (the backup drills keep theirs). */
export function identify(place: ResultPlace, about: { scenario: string; title: string; expected: Outcome; id?: string }): ResultIdentity {
  const { variant, ...rest } = place;
  const id = about.id ?? placeId(place);
  return { id, scenario: about.scenario, title: about.title, ...rest, ...(variant ? { variant } : {}), expected: about.expected };
}
