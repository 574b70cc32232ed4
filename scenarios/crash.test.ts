// "If the container is killed, do we lose committed data?" Writers commit one row per
// transaction while the server gets SIGKILL; a new container on the same storage must have
// every write the database acknowledged. With durability relaxed on purpose, the same kill
// must lose some: that control proves the check can fail.
import { beforeAll, describe, expect, test } from 'vitest';
import { runKillDrill } from '../src/crash/kill-drill.ts';
import { describeShutdown, runStopModeDrill } from '../src/crash/stop-modes.ts';
import { type CellResult, type StopMode, killFacts, stopModeFacts } from '../src/report/model.ts';
import { negativeControl } from '../src/drill/control.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';
import { crashDrillServices } from '../src/services/registry.ts';
import { DATABASE_DRIVERS } from '../src/services/drivers.ts';

const SCENARIO = 'crash';
const TARGETS = crashDrillServices().map((name) => DATABASE_DRIVERS[name]);
/** The stop modes are judged by what the next start logs: a clean shutdown or crash recovery. */
const LOGGING_RECOVERY = TARGETS.filter((target) => target.logsCrashRecovery);
/** The relaxed controls run until a trial loses writes, at most this many times. */
const CONTROL_TRIALS = 5;

beforeAll(() => preflight(crashDrillServices()));

describe('SIGKILL under write load: acknowledged writes survive', () => {
  const cells = TARGETS.flatMap((target) =>
    (['named-volume', 'bind-mount'] as const).map((storage) => ({ target, storage, name: `${target.displayName} on ${storage}` })),
  );
  test.for(cells)('$name', async ({ target, storage }, { task }) => {
    const { config, scope } = scenarioKit();
    const result = await runKillDrill(
      { scenario: SCENARIO, target, storage, durability: 'durable', expected: 'survives' },
      { scope, trials: config.trials, image: config.images[target.image] },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
    // A kill is a crash: the next start must have recovered from it, where the server says so.
    if (target.logsCrashRecovery) expect(killFacts(result)?.crashRecovery).toBe(true);
  });
});

describe('negative controls: durability relaxed on purpose must lose acknowledged writes', () => {
  test.for(TARGETS.map((target) => ({ target, name: target.displayName })))('$name', async ({ target }, { task }) => {
    const { config, scope } = scenarioKit();
    const cell = await runKillDrill(
      { scenario: SCENARIO, target, storage: 'named-volume', durability: 'relaxed', expected: 'survives' },
      { scope, trials: Math.max(config.trials, CONTROL_TRIALS), image: config.images[target.image] },
      (record) => record.details?.kind === 'kill' && record.details.writes.lost > 0,
    );
    const { description } = target.relaxedDurability;
    const control = negativeControl(cell, { title: `${target.displayName}: ${description.split(':')[0]}`, sabotage: description });
    if (!control.caught) cell.evidence.push(`could not be provoked: no acknowledged write was lost in ${cell.trials} trials`);
    proveControl(task.meta, control);
  });
});

describe('stop-mode matrix: each way of stopping, then a start of the same container', () => {
  const modes: StopMode[] = ['graceful', 'kill', 'restart'];
  const cells = LOGGING_RECOVERY.flatMap((target) => modes.map((mode) => ({ target, mode, name: `${target.displayName}: ${mode}` })));
  test.for(cells)('$name', async ({ target, mode }, { task }) => {
    const { config, scope } = scenarioKit();
    const result = await runStopModeDrill(
      { scenario: SCENARIO, target, storage: 'named-volume', mode },
      { scope, trials: config.trials, image: config.images[target.image] },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative control: a server that never hears the stop signal must be reported as crashed', () => {
  test.for(LOGGING_RECOVERY.map((target) => ({ target, name: target.displayName })))('$name', async ({ target }, { task }) => {
    const { config, scope } = scenarioKit();
    const cell = await runStopModeDrill(
      { scenario: SCENARIO, target, storage: 'named-volume', mode: 'signal-not-forwarded' },
      { scope, trials: config.trials, image: config.images[target.image] },
    );
    // The server never hears the signal and dies with the shell, every time: nothing here is a race.
    const sabotage =
      'the server runs under `sh -c` as PID 1 (a wrapper entrypoint), which does not pass the stop signal on: the server is killed with the shell';
    const caughtWhen = (c: CellResult) => stopModeFacts(c)?.shutdown === 'crash-recovery';
    const control = negativeControl(cell, { title: `${target.displayName}: stop signal not forwarded`, sabotage, observed: 'any', caughtWhen });
    proveControl(task.meta, control, describeShutdown(stopModeFacts(cell)?.shutdown ?? 'unknown'));
  });
});
