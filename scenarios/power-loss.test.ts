// "Does our database keep what it acknowledged when the host loses power, not just when the
// process dies?" Each server runs on a disk of its own; at a moment that moves from trial to
// trial it is killed (SIGKILL), or its disk is cut (an atomic copy of what the disk held), and a
// new container starts on what is left. Settings that only survive a process crash must lose
// acknowledged writes under the cut (controls), and a sync of the disk before the cut must
// bring back everything acknowledged before it: the copy is the disk, not an older state.
import { beforeAll, describe, expect, test } from 'vitest';
import { runBackupDrill } from '../src/backup/backup-drill.ts';
import { diskSnapshot, onItsOwnDisk } from '../src/backup/methods/disk-snapshot.ts';
import { helperTar } from '../src/backup/methods/helper-tar.ts';
import { negativeControl } from '../src/drill/control.ts';
import { backupFacts, type CellResult } from '../src/report/model.ts';
import { type Failure, guaranteed, runPowerLossDrill } from '../src/power/power-loss-drill.ts';
import { requirePowerCuts } from '../src/docker/power-cut-ready.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';
import { DATABASE_DRIVERS } from '../src/services/drivers.ts';
import { BACKUP_SUBJECTS } from '../src/services/backup-subjects.ts';
import { crashDrillServices } from '../src/services/registry.ts';
import { runCutIsTheDisk } from '../src/power/cut-is-the-disk.ts';

const SCENARIO = 'power-loss';
const TARGETS = crashDrillServices()
  .map((name) => DATABASE_DRIVERS[name])
  .filter((target) => target.powerLossSettings !== undefined);
/** The controls run until a trial loses writes under the cut, at most this many times. */
const CONTROL_TRIALS = 4;

const settingsOf = (target: (typeof TARGETS)[number]) => target.powerLossSettings ?? [];
/** Survives a process crash, not a power cut: what only this scenario can show. */
const onlyACutExposes = (setting: { keeps: { processCrash: boolean; powerCut: boolean } }) => setting.keeps.processCrash && !setting.keeps.powerCut;

beforeAll(async () => {
  await preflight(crashDrillServices());
  await requirePowerCuts();
});

test('the cut is the disk: a file synced is on the copy, a file only written is not', async ({ task }) => {
  const { config, scope } = scenarioKit();
  const result = await runCutIsTheDisk(SCENARIO, { scope, trials: config.trials });
  recordResult(task.meta, result);
  assertVerdict(result);
});

describe('SIGKILL and power cut side by side: what each setting keeps', () => {
  const cells = TARGETS.flatMap((target) =>
    settingsOf(target).flatMap((setting) =>
      (['sigkill', 'power-cut'] as Failure[])
        // Under the cut, a setting only a cut exposes is a negative control, below.
        .filter((failure) => !(failure === 'power-cut' && onlyACutExposes(setting)))
        .map((failure) => ({ target, setting, failure, name: `${target.displayName} (${setting.name}): ${failure}` })),
    ),
  );
  test.for(cells)('$name', async ({ target, setting, failure }, { task }) => {
    const { config, scope } = scenarioKit();
    const expected = guaranteed(setting, failure) ? 'survives' : 'lost';
    const result = await runPowerLossDrill(
      { scenario: SCENARIO, target, setting, failure, expected },
      { scope, trials: config.trials, image: config.images[target.image] },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative controls: a setting that survives a process crash must lose acknowledged writes under the cut', () => {
  const cells = TARGETS.flatMap((target) =>
    settingsOf(target)
      .filter(onlyACutExposes)
      .map((setting) => ({ target, setting, name: `${target.displayName} (${setting.name})` })),
  );
  test.for(cells)('$name', async ({ target, setting }, { task }) => {
    const { config, scope } = scenarioKit();
    const cell = await runPowerLossDrill(
      { scenario: SCENARIO, target, setting, failure: 'power-cut', expected: 'survives' },
      { scope, trials: Math.max(config.trials, CONTROL_TRIALS), image: config.images[target.image] },
      (record) => record.details?.kind === 'power-loss' && record.details.writes.lost > 0,
    );
    const lostWrites = (c: CellResult) => c.rowsLost > 0 || c.trialOutcomes.some((t) => t.observed === 'lost');
    const control = negativeControl(cell, {
      title: `${target.displayName}: ${setting.name} under a power cut`,
      sabotage: setting.promise,
      caughtWhen: lostWrites,
    });
    if (!control.caught) cell.evidence.push(`could not be provoked: no acknowledged write was lost in ${cell.trials} trials`);
    proveControl(task.meta, control);
  });
});

describe('the sync control: a sync of the disk right before the cut brings back every write acknowledged before it', () => {
  // On servers that recover a torn log tail themselves (PostgreSQL's WAL, InnoDB's redo log). The
  // writes after the sync leave the tail half-written on the cut's disk, and Redis refuses such an
  // AOF ("Bad file format reading the append only file": redis-check-aof --fix first), as seen here.
  const cells = TARGETS.filter((target) => target.logsCrashRecovery).flatMap((target) =>
    settingsOf(target)
      .filter(onlyACutExposes)
      .map((setting) => ({ target, setting, name: `${target.displayName} (${setting.name}), synced before the cut` })),
  );
  test.for(cells)('$name', async ({ target, setting }, { task }) => {
    const { config, scope } = scenarioKit();
    const result = await runPowerLossDrill(
      { scenario: SCENARIO, target, setting, failure: 'power-cut', syncBeforeCut: true, expected: 'survives' },
      { scope, trials: config.trials, image: config.images[target.image] },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('backups of a running database: a crash-consistent snapshot beside a hot tar, each of a volume on its own disk', () => {
  const databases = Object.values(BACKUP_SUBJECTS).filter((subject) => subject.logicalBackup !== undefined);
  const methods = [
    { method: diskSnapshot(), variant: 'disk-snapshot-beside-tar' },
    { method: onItsOwnDisk(helperTar({ mode: 'hot' })), variant: 'helper-tar-hot-own-disk' },
  ];
  const cells = databases.flatMap((subject) => methods.map((m) => ({ subject, ...m, name: `${subject.displayName}: ${m.method.title}` })));
  test.for(cells)('$name', async ({ subject, method, variant }, { task }) => {
    const { config, scope, dataset } = scenarioKit();
    const images = { service: config.images[subject.image], toolbox: config.images.toolbox };
    const result = await runBackupDrill(
      { scenario: SCENARIO, subject, method, variant, expected: 'survives' },
      { scope, trials: config.trials, dataset, images },
    );
    recordResult(task.meta, result);
    if (method.name === 'disk-snapshot') {
      // What the disk held at one instant: a durable server recovers every write acknowledged before it.
      assertVerdict(result);
      expect(backupFacts(result)?.rpo?.missingBeforeBackup).toBe(0);
    } else {
      // Whether a file-by-file copy of a running server restores is what the result reports, not a promise.
      expect(result.status).not.toBe('errored');
    }
  });
});
