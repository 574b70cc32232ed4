// Runs a cell's trials and turns them into one result: the verdict over all trials, the trial
// to show (the first that contradicts the expectation), timings summarised over the trials.
import type { Fingerprint } from '../data/fingerprint.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { describeError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, DrillDetails, ItemOutcome, Measurement, Outcome, TrialOutcome, TrialTiming } from '../report/model.ts';
import type { Measured } from '../timing/clocks.ts';
import { statsOf, summariseTimings } from '../report/stats.ts';

export interface TrialRecord {
  outcome: TrialOutcome;
  /** Whether this trial saw what the cell expected (every item, where items are judged). */
  matches: boolean;
  items?: ItemOutcome[];
  /** The drill's own facts, keyed by kind. */
  details?: DrillDetails;
  timing: TrialTiming;
  /** Named durations this trial measured besides its phases, each from one clock (several samples allowed). */
  measurements?: Record<string, Measured>;
  before: Fingerprint;
  after: Fingerprint;
  rowsLost: number;
  rowsUnexpected: number;
  imageId: string;
  serverVersion: string;
  evidence: string[];
}

export interface TrialsOutcome {
  records: TrialRecord[];
  /** Set when a trial could not finish; later trials are not run. */
  error: string | undefined;
}

/** Each trial gets a scope of its own, removed afterwards whatever happened. */
export async function runTrials(
  id: string,
  trials: number,
  parentScope: RunScope,
  runTrial: (trial: number, scope: RunScope) => Promise<TrialRecord>,
  /** Stops after a trial that settles the question (a control that already showed its loss). */
  stopEarly?: (record: TrialRecord) => boolean,
): Promise<TrialsOutcome> {
  const records: TrialRecord[] = [];
  let error: string | undefined;
  let settled = false;
  for (let trial = 1; trial <= trials && error === undefined && !settled; trial++) {
    progress(`${id}: trial ${trial}/${trials}`);
    const scope = parentScope.child();
    try {
      const record = await runTrial(trial, scope);
      records.push(record);
      settled = stopEarly?.(record) ?? false;
    } catch (caught) {
      error = `trial ${trial}: ${describeError(caught)}`;
      progress(`${id}: errored: ${error}`);
    }
    try {
      await scope.dispose();
    } catch (caught) {
      error ??= `trial ${trial}: ${describeError(caught)}`;
    }
  }
  return { records, error };
}

/**
 * A trial after a crash of the server under write load (a kill, a power cut): never a clean
 * shutdown; re-initialised when the next start's log shows the image's first-start lines.
 */
export function afterCrashOutcome(trial: number, observed: Outcome, initialisationMarkers: RegExp[], logs: string, lost: number): TrialOutcome {
  return {
    trial,
    observed,
    reinitialised: initialisationMarkers.some((marker) => marker.test(logs)),
    cleanShutdown: false,
    differences: lost > 0 ? [`${lost} acknowledged writes lost`] : [],
  };
}

/** A check judged item by item (no fingerprints, no recovery phases): what one of its trials found. */
export interface ItemsTrial {
  trial: number;
  items: ItemOutcome[];
  /** The one outcome the trial is summed up by (e.g. whether the host files stayed unchanged). */
  observed: Outcome;
  cleanShutdown?: boolean;
  measurements?: Record<string, Measured>;
  imageId: string;
  serverVersion: string;
  evidence: string[];
}

export function itemsRecord(found: ItemsTrial): TrialRecord {
  const { trial, items, observed } = found;
  return {
    outcome: { trial, observed, reinitialised: false, cleanShutdown: found.cleanShutdown ?? true, differences: [] },
    matches: items.every((i) => i.observed === i.expected),
    items,
    timing: { trial, phasesMs: {}, recoveryMs: null },
    ...(found.measurements ? { measurements: found.measurements } : {}),
    before: {},
    after: {},
    rowsLost: 0,
    rowsUnexpected: 0,
    imageId: found.imageId,
    serverVersion: found.serverVersion,
    evidence: found.evidence,
  };
}

/** What a result is about, set by the scenario before any trial runs. */
export type ResultIdentity = Pick<CellResult, 'id' | 'scenario' | 'title' | 'target' | 'storage' | 'disruption' | 'variant' | 'expected'>;

export function assembleResult(identity: ResultIdentity, imageReference: string, records: TrialRecord[], error: string | undefined): CellResult {
  const surprising = records.filter((r) => !r.matches);
  const shown = surprising[0] ?? records[0];
  const status = error !== undefined ? 'errored' : surprising.length > 0 ? 'failed' : 'passed';
  const evidence = shown?.evidence.map((line) => (records.length > 1 ? `trial ${shown.outcome.trial}: ${line}` : line)) ?? [];
  if (records.length > 1) evidence.push(`${records.length - surprising.length} of ${records.length} trials observed what was expected`);
  if (error !== undefined) evidence.push(`error: ${error}`);
  return {
    ...identity,
    observed: shown?.outcome.observed ?? null,
    status,
    trials: records.length,
    image: shown ? { reference: imageReference, id: shown.imageId } : null,
    serverVersion: shown?.serverVersion ?? null,
    fingerprintBefore: shown?.before ?? null,
    fingerprintAfter: shown?.after ?? null,
    rowsLost: shown?.rowsLost ?? 0,
    rowsUnexpected: shown?.rowsUnexpected ?? 0,
    trialOutcomes: records.map((r) => r.outcome),
    ...(shown?.items ? { items: shown.items } : {}),
    ...(shown?.details ? { details: detailsOverTrials(shown.details, records) } : {}),
    timings: { perTrial: records.map((r) => r.timing), summary: summariseTimings(records.map((r) => r.timing)) },
    ...measurementsOf(records),
    evidence,
    ...(error === undefined ? {} : { error }),
  };
}

/** The trial shown's facts; a kill or power-loss drill also counts the writes lost in every trial. */
function detailsOverTrials(details: DrillDetails, records: TrialRecord[]): DrillDetails {
  if (details.kind !== 'kill' && details.kind !== 'power-loss') return details;
  const lost = (r: TrialRecord) => (r.details?.kind === details.kind ? r.details.writes.lost : 0);
  return { ...details, lostPerTrial: records.map(lost) };
}

function measurementsOf(records: TrialRecord[]): Pick<CellResult, 'measurements'> {
  const names = [...new Set(records.flatMap((r) => Object.keys(r.measurements ?? {})))];
  if (names.length === 0) return {};
  const measurements: Record<string, Measurement> = {};
  for (const name of names) {
    const samples = records.flatMap((r) => r.measurements?.[name] ?? []);
    const stats = statsOf(samples.flatMap((sample) => sample.ms));
    if (stats) measurements[name] = { ...stats, clock: samples[0]!.clock };
  }
  return { measurements };
}
