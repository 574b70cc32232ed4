// The shape of a disruption `persist check` runs on the copy, one module each in this folder, as
// a scenario's drill is one module in the run (src/drill/drill.ts): what it runs on the whole
// copy, which services it is judged on and against which of the audit's predictions, and what the
// user needs to see after it. A new check disruption is its name in the report's vocabulary, its
// module here and its line in all.ts.
import type { ComposeStorageKind, Fate, Lifecycle } from '../../compose/storage-map.ts';
import type { ServiceSettings } from '../../compose/x-persist.ts';
import type { Audit } from '../../report/model.ts';
import type { CheckDisruption } from '../../report/vocabulary.ts';
import type { ComposeStack } from '../../compose/compose-stack.ts';
import type { RunScope } from '../../docker/run-scope.ts';
import type { Subject } from '../check-subjects.ts';

/** What a disruption did: why the copy did not come back, and per service why it did not (a failed backup). */
export interface DisruptionOutcome {
  problem?: string;
  perService: Map<string, string>;
  /** Steps worth reporting: the user's backup and restore commands and how they ended. */
  notes: string[];
  /** Writes acknowledged from this instant on are not judged (a power cut's copy could not hold them). */
  judgeWritesBefore?: number;
  /** Per service, what explains a loss (the durability setting that allows it): added to its lost cells. */
  explanations?: Map<string, string>;
}

export interface CheckDrill {
  name: CheckDisruption;
  /** What it runs, in Compose's terms. */
  commands: string;
  /** The audit's lifecycle command whose prediction its cells are judged against; none where the audit cannot know (the user's own procedure). */
  predictedAs: Lifecycle | undefined;
  /** Whether this project gets it at all (an upgrade only where one is named). */
  appliesTo(audit: Audit, settings: Record<string, ServiceSettings>): boolean;
  /** Whether a service is judged on it. */
  judges(subject: Pick<Subject, 'service' | 'settings'>): boolean;
  /** Judged by the user's own procedure: read through the server or their fingerprint, not by a stray file. */
  byProcedure: boolean;
  /** Lands on databases committing as fast as they can: what they acknowledged must be there after. */
  underWriteLoad: boolean;
  /**
   * Brings a database back from elsewhere (a restore): its objects besides rows (views, routines,
   * triggers, events…) are listed before and compared after, as a dump may leave some out.
   */
  comparesObjects?: boolean;
  /** What the user needs of a data path on this storage after it; undefined: nothing to judge. */
  required(storage: ComposeStorageKind, ephemeral: boolean): Fate | undefined;
  /** What must be in place before the round's data is written (the power cut's disks); notes, and why the copy did not come back. */
  prepare?(stack: ComposeStack, judged: Subject[], scope: RunScope): Promise<{ notes: string[]; problem?: string }>;
  run(stack: ComposeStack, judged: Subject[], backupRoot: string): Promise<DisruptionOutcome>;
}

/** What most disruptions share: every service judged, every data path kept unless x-persist marks it ephemeral. */
export const EVERY_SERVICE = {
  appliesTo: () => true,
  judges: () => true,
  byProcedure: false,
  underWriteLoad: false,
  required: (_storage: ComposeStorageKind, ephemeral: boolean): Fate | undefined => (ephemeral ? undefined : 'kept'),
} satisfies Partial<CheckDrill>;

export function outcome(problem: string | undefined, perService = new Map<string, string>(), notes: string[] = []): DisruptionOutcome {
  return { ...(problem ? { problem } : {}), perService, notes };
}

/** One of Compose's own lifecycle commands on the whole copy, judged against the audit's prediction for it. */
export function composeLifecycle(name: Exclude<Lifecycle, 'upgrade' | 'down + volume prune' | 'down + volume prune --all'>, commands: string): CheckDrill {
  return { ...EVERY_SERVICE, name, commands, predictedAs: name, run: async (stack) => outcome(await stack.lifecycle(name)) };
}
