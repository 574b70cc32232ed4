// One development-loop drill: the seed's project in a host folder the harness makes, the app
// container started on it, then the developer's day: N edits on the host (each timed from the
// write until the answer shows it, with whether the app process restarted), a save by rename,
// a new file, an edit that does not parse and the next good one. The trap (no modules volume)
// and the controls (source baked in, a named volume at /app) run the same steps they can.
import { onClock } from '../timing/clocks.ts';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImageChoice } from '../config.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { inspectImage } from '../docker/engine.ts';
import { itemsRecord, type TrialRecord } from '../drill/assemble.ts';
import { identify, placeId, type ResultPlace, runDrill } from '../drill/drill.ts';
import { progress } from '../progress.ts';
import { median } from '../report/stats.ts';
import type { CellResult, DevloopFacts } from '../report/model.ts';
import type { StorageKind } from '../storage/placement.ts';
import { type AppContainer, type AppMount, isRunning, readLogs, startAppContainer } from './app-container.ts';
import { ABSENCE_WINDOW_MS, EDIT_WAIT_MS, editServed, firstAnswer, syntaxErrorThenFix, watchRestarts } from './devloop-observe.ts';
import { type DevStack, seedProject, STACKS, type Watcher } from './stacks.ts';
import { type DevloopSetup, type Expectation, judgeDevloop, type LoopObservation } from './devloop-verdict.ts';

export interface DevloopSpec {
  scenario: string;
  watcher: Watcher;
  setup: DevloopSetup;
  /** Edits per trial (the controls make one: it never arrives). */
  edits: number;
}

export interface DevloopContext {
  scope: RunScope;
  trials: number;
  image: ImageChoice;
}

const SETUPS: Record<DevloopSetup, { storage: StorageKind; title: string }> = {
  loop: { storage: 'bind-mount', title: 'host folder bind-mounted at /app' },
  'without-modules-volume': { storage: 'bind-mount', title: 'host folder at /app, no /app/node_modules volume' },
  baked: { storage: 'container-layer', title: 'source baked in by COPY . ., no mount at /app' },
  'named-volume': { storage: 'named-volume', title: 'a named volume at /app instead of the host folder' },
};

/** Where a cell stands in the report; its id is the shared placeId of this place. */
function placeOf(spec: Pick<DevloopSpec, 'watcher' | 'setup'>): ResultPlace {
  const variant = `devloop-${spec.setup === 'loop' ? spec.watcher.name : spec.setup}`;
  return { target: spec.watcher.stack, storage: SETUPS[spec.setup].storage, disruption: 'none', variant };
}

export function devloopId(spec: Pick<DevloopSpec, 'watcher' | 'setup'>): string {
  return placeId(placeOf(spec));
}

export async function runDevloopDrill(spec: DevloopSpec, context: DevloopContext): Promise<CellResult> {
  const stack = STACKS[spec.watcher.stack];
  const identity = identify(placeOf(spec), {
    scenario: spec.scenario,
    title: `${stack.displayName}: ${spec.setup === 'loop' ? spec.watcher.title : SETUPS[spec.setup].title}`,
    expected: spec.setup === 'without-modules-volume' ? 'lost' : 'survives',
  });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope) }, context);
}

/** What a trial made and saw, step by step. */
interface Trial {
  spec: DevloopSpec;
  stack: DevStack;
  project: string;
  app: AppContainer;
  evidence: string[];
  delays: Record<string, number[]>;
  nonce: string;
}

async function runTrial(spec: DevloopSpec, context: DevloopContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const stack = STACKS[spec.watcher.stack];
  const project = await writeProject(scope, stack, spec.watcher);
  const app = await startAppContainer(scope, {
    image: context.image.reference,
    port: stack.port,
    env: stack.env,
    app: await appMount(spec.setup, project, scope),
    ...(stack.modulesPath && spec.setup !== 'without-modules-volume' && spec.setup !== 'baked' ? { modulesVolume: stack.modulesPath } : {}),
  });
  const t: Trial = {
    spec,
    stack,
    project,
    app,
    evidence: [`project folder ${project}; container ${app.mounts}`],
    delays: {},
    nonce: randomBytes(4).toString('hex'),
  };
  const facts: DevloopFacts = {
    kind: 'devloop',
    stack: stack.name,
    watcher: spec.watcher.title,
    mounts: app.mounts,
    edits: { made: 0, seen: 0, restarts: 0 },
    renameSave: null,
    newFile: null,
    syntaxError: null,
    startError: null,
  };
  const observation: LoopObservation = { answered: false, editsMade: 0, editsSeen: 0, renameSeen: null, servedAfterSyntaxError: null };
  const started = await firstAnswer(app, stack);
  observation.answered = started.answered;
  if (!started.answered) {
    facts.startError = { exitCode: started.exitCode, logLine: started.logLine };
    t.evidence.push(
      `the app did not answer /: ${started.exitCode === null ? 'still running' : `exit code ${started.exitCode}`}; ${started.logLine ?? 'no error line in its log'}`,
    );
  } else {
    (t.delays['start → first answer'] ??= []).push(started.ms);
    await editSteps(t, facts, observation);
  }
  const served = t.delays['edit → served'] ?? [];
  if (served.length > 0)
    t.evidence.push(
      `edits: ${facts.edits.seen} of ${facts.edits.made} served, median ${median(served).toFixed(0)} ms, max ${Math.max(...served).toFixed(0)} ms; ${facts.edits.restarts} restarted the app`,
    );
  const expectation = expectationOf(spec);
  const judged = judgeDevloop(observation, expectation);
  progress(`${devloopId(spec)}: trial ${trial}: ${facts.edits.seen} of ${facts.edits.made} edits served, ${facts.edits.restarts} restarts`);
  return {
    ...itemsRecord({
      trial,
      items: judged.items,
      observed: judged.observed,
      measurements: onClock('harness', t.delays),
      imageId: (await inspectImage(context.image.reference))?.id ?? '',
      serverVersion: spec.watcher.title,
      evidence: t.evidence,
    }),
    details: facts,
  };
}

/** An app that stopped running says why in its last log lines: worth a reader's eye beside an edit not served. */
async function whyNotServed(app: AppContainer): Promise<string> {
  const state = await isRunning(app.id);
  if (state.running) return '';
  const tail = (await readLogs(app.id)).trim().split('\n').slice(-3).join(' | ');
  return `: the app exited (code ${state.exitCode}); its last log lines: ${tail}`;
}

function expectationOf(spec: DevloopSpec): Expectation {
  if (spec.setup === 'without-modules-volume') return { starts: false, editsServed: false };
  if (spec.setup !== 'loop') return { starts: true, editsServed: true };
  return { starts: true, editsServed: true, recoversAfterSyntaxError: STACKS[spec.watcher.stack].waitingLine !== undefined };
}

/** The edits, then (where the loop is the seed's) the save by rename, the new file, the syntax error. */
async function editSteps(t: Trial, facts: DevloopFacts, observation: LoopObservation): Promise<void> {
  const restarts = watchRestarts(t.app, t.stack);
  for (let k = 1; k <= t.spec.edits; k++) {
    const marker = `edit ${k} ${t.nonce}`;
    const delay = await editServed(t.app, '/', marker, () => writeSource(t, marker, 'write'), t.spec.setup === 'loop' ? EDIT_WAIT_MS : ABSENCE_WINDOW_MS);
    facts.edits.made++;
    if (delay === null) {
      t.evidence.push(`edit ${k}: not served ${t.spec.setup === 'loop' ? 'within the wait' : "within the control's wait"}${await whyNotServed(t.app)}`);
      continue;
    }
    facts.edits.seen++;
    (t.delays['edit → served'] ??= []).push(delay);
    const restarted = await restarts.sinceLast();
    if (restarted) facts.edits.restarts++;
    t.evidence.push(
      `edit ${k}: served after ${delay.toFixed(0)} ms, ${restarted ? 'the app restarted (a new start line in its log)' : 'without a restart (no new start line)'}`,
    );
  }
  observation.editsMade = facts.edits.made;
  observation.editsSeen = facts.edits.seen;
  if (t.spec.setup !== 'loop' || facts.edits.seen === 0) return;
  await renameSave(t, facts, observation, restarts);
  await newFile(t, facts);
  const syntax = await syntaxErrorThenFix(t.app, t.stack, {
    breakIt: () => writeSource(t, `broken ${t.nonce}`, 'syntax-error'),
    fixIt: (marker) => writeSource(t, marker, 'write'),
    marker: `fixed ${t.nonce}`,
  });
  facts.syntaxError = syntax.facts;
  observation.servedAfterSyntaxError = syntax.facts.nextGoodEditServed;
  if (syntax.delayMs !== null) (t.delays['next good edit → served'] ??= []).push(syntax.delayMs);
  t.evidence.push(syntax.evidence);
}

async function renameSave(t: Trial, facts: DevloopFacts, observation: LoopObservation, restarts: ReturnType<typeof watchRestarts>): Promise<void> {
  const marker = `renamed ${t.nonce}`;
  const delay = await editServed(t.app, '/', marker, () => writeSource(t, marker, 'rename'), EDIT_WAIT_MS);
  facts.renameSave = { seen: delay !== null };
  observation.renameSeen = delay !== null;
  if (delay !== null) {
    (t.delays['rename-save → served'] ??= []).push(delay);
    // Not counted with the edits' restarts; read so the next step starts from this start line.
    await restarts.sinceLast();
  }
  t.evidence.push(
    delay === null
      ? `save by rename (a new inode over ${t.stack.sourceFile}): not served`
      : `save by rename (a new inode over ${t.stack.sourceFile}): served after ${delay.toFixed(0)} ms`,
  );
}

async function newFile(t: Trial, facts: DevloopFacts): Promise<void> {
  const marker = `added ${t.nonce}`;
  const route = t.stack.newRoute(marker);
  const delay = await editServed(t.app, '/added', marker, () => writeFileIn(t.project, route.file, route.text), ABSENCE_WINDOW_MS);
  facts.newFile = { seen: delay !== null };
  if (delay !== null) (t.delays['new file → served'] ??= []).push(delay);
  t.evidence.push(
    delay === null
      ? `new file ${route.file}: not picked up (the watcher did not restart the app for a file it had not seen)`
      : `new file ${route.file}: its route served after ${delay.toFixed(0)} ms`,
  );
}

/** Writes the source in place, by a temporary file renamed over it, or as a syntax error. */
async function writeSource(t: Trial, marker: string, how: 'write' | 'rename' | 'syntax-error'): Promise<void> {
  const text = how === 'syntax-error' ? t.stack.syntaxError(marker) : t.stack.edited(marker);
  if (how !== 'rename') return writeFileIn(t.project, t.stack.sourceFile, text);
  const temporary = join(t.project, `.${t.stack.sourceFile}.swp`);
  await writeFile(temporary, text);
  await rename(temporary, join(t.project, t.stack.sourceFile));
}

async function writeFileIn(folder: string, file: string, text: string): Promise<void> {
  await mkdir(dirname(join(folder, file)), { recursive: true });
  await writeFile(join(folder, file), text);
}

async function writeProject(scope: RunScope, stack: DevStack, watcher: Watcher): Promise<string> {
  const project = await scope.createHostFolder(`devloop-${stack.name}`);
  for (const { file, text } of await seedProject(stack)) await writeFileIn(project, file, text);
  if (watcher.projectConfig) await writeFileIn(project, watcher.projectConfig.file, watcher.projectConfig.text);
  return project;
}

async function appMount(setup: DevloopSetup, project: string, scope: RunScope): Promise<AppMount> {
  if (setup === 'baked') return { kind: 'image' };
  if (setup === 'named-volume') return { kind: 'volume', name: await scope.createVolume('devloop-app') };
  return { kind: 'bind', folder: project };
}
