// The seed's backup methods, each proven by a restore: seed a volume, keep writes going, back
// it up, destroy the original volume, restore into a new one, start the service on it and
// fingerprint again. A backup nobody has restored is a hope, not a backup.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { restoreIntoWrongPath, truncatingTar } from '../src/backup/backup-controls.ts';
import { evidenceShows, negativeControl } from '../src/drill/control.ts';
import { type CellResult, backupFacts } from '../src/report/model.ts';
import { runBackupDrill, type BackupDrillSpec } from '../src/backup/backup-drill.ts';
import type { BackupMethod } from '../src/backup/method.ts';
import { diskSnapshot } from '../src/backup/methods/disk-snapshot.ts';
import { helperTar } from '../src/backup/methods/helper-tar.ts';
import { checkEngine } from '../src/docker/engine.ts';
import { powerCutUnsupported } from '../src/host/power-cut-support.ts';
import { progress } from '../src/progress.ts';
import { nativeDump } from '../src/backup/methods/native-dump.ts';
import { rotatingScript } from '../src/backup/methods/rotating-script.ts';
import { userProcedure } from '../src/backup/methods/user-procedure.ts';
import { volumeCopy } from '../src/backup/methods/volume-copy.ts';
import { loadProcedures, type Procedure } from '../src/backup/procedure.ts';
import type { BackupSubject } from '../src/services/backup-subject-shape.ts';
import { BACKUP_SUBJECTS } from '../src/services/backup-subjects.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';

const SCENARIO = 'backup';
const SUBJECTS = BACKUP_SUBJECTS;
const wordpressFiles = SUBJECTS['wordpress-files'];
/** The subjects a database's own tools back up: a logical dump, crash recovery to observe. */
const DATABASES = Object.values(SUBJECTS).filter((subject) => subject.logicalBackup !== undefined);
const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/procedures/${name}`, import.meta.url));
/** Your procedure (`persist run backup --procedure FILE`), or the README's worked example. */
const PROCEDURE_FILE = scenarioKit().config.procedureFile ?? fileURLToPath(new URL('../examples/backup-procedure/procedure.json', import.meta.url));

beforeAll(() => preflight(['postgres', 'mysql', 'wordpress', 'toolbox']));

function context(subject: BackupSubject, backupDir?: string) {
  const { config, scope, dataset } = scenarioKit();
  return {
    scope,
    trials: config.trials,
    dataset,
    images: { service: config.images[subject.image], toolbox: config.images.toolbox },
    ...(backupDir ? { backupDir } : {}),
  };
}

/** A negative control needs one trial to show what it misses; the trials of a run are for timings. */
const ONE_TRIAL = { trials: 1 };

function procedureDrill(procedure: Procedure, options: { trials?: number } = {}): Promise<CellResult> {
  const subject = SUBJECTS[procedure.target];
  const spec: BackupDrillSpec = {
    scenario: SCENARIO,
    subject,
    method: userProcedure(procedure),
    expected: 'survives',
    variant: `procedure-${procedure.name}`,
    title: `${subject.displayName}: your procedure "${procedure.name}"`,
  };
  return runBackupDrill(spec, { ...context(subject, procedure.backupDir), ...options });
}

const drills: Array<{ subject: BackupSubject; method: BackupMethod; expected?: 'lost'; variant?: string }> = [
  ...DATABASES.flatMap((subject) => [
    { subject, method: helperTar({ mode: 'quiesced' }) },
    // The seed's `mysqldump -u root -p mydb` leaves MySQL's procedures and events out: every row comes back, and they do not.
    { subject, method: nativeDump(), ...(subject.logicalBackup?.whole ? { expected: 'lost' as const } : {}) },
    ...(subject.logicalBackup?.whole ? [{ subject, method: nativeDump({ whole: true }), variant: 'native-dump-whole' }] : []),
    { subject, method: volumeCopy({ mode: 'quiesced' }) },
    { subject, method: rotatingScript({ mode: 'quiesced' }) },
  ]),
  { subject: wordpressFiles, method: helperTar({ mode: 'hot' }) },
  { subject: wordpressFiles, method: volumeCopy({ mode: 'hot' }) },
  { subject: wordpressFiles, method: rotatingScript({ mode: 'hot' }) },
];

describe('backup and restore: every method restored into a new volume and proven', () => {
  test.for(drills.map((d) => ({ ...d, name: `${d.subject.displayName}: ${d.method.title}` })))(
    '$name',
    async ({ subject, method, expected: lossExpected, variant }, { task }) => {
      const expected = lossExpected ?? ('survives' as const);
      const result = await runBackupDrill({ scenario: SCENARIO, subject, method, expected, ...(variant ? { variant } : {}) }, context(subject));
      recordResult(task.meta, result);
      assertVerdict(result);
      const facts = backupFacts(result)!;
      expect(facts.rpo?.missingBeforeBackup).toBe(0);
      // Writes went on after the backup: a restore that still has them did not come from the backup.
      expect(facts.rpo?.missing).toBeGreaterThan(0);
      // A server stopped for the backup restores without crash recovery (the hot copies below must run it).
      if (method.quiesce && subject.crashRecoveryMarkers.length > 0) expect(facts.crashRecovery).toBe(false);
      if (method.name === 'rotating-script') expect(facts.rotation?.kept).toEqual(facts.rotation?.expectedKept);
      // A database's objects are compared with its source's: a method that keeps every row keeps them all, or names what it lost.
      if (subject.logicalBackup) {
        const lost = facts.objects?.lost.map((object) => object.kind) ?? ['not compared'];
        expect(lost).toEqual(expected === 'lost' ? ['event', 'procedure'] : []);
        if (subject.logicalBackup.whole) expect(facts.objects?.kept.map((object) => object.kind)).toEqual(expect.arrayContaining(['view', 'trigger']));
      }
      if (expected === 'lost')
        expect(result.evidence).toEqual(
          expect.arrayContaining([expect.stringMatching(/^harness\.\w+ \(procedure\) was in the source and is not in the restore$/)]),
        );
    },
  );
});

describe("the seed's volume copy as written", () => {
  // `cp -r` copies content but not ownership: every file of the restored site belongs to root,
  // so WordPress (www-data) can no longer write its uploads. The report names each change.
  test('WordPress files copied with cp -r lose their owner', async ({ task }) => {
    const method = volumeCopy({ mode: 'hot', copy: 'cp -r' });
    const result = await runBackupDrill({ scenario: SCENARIO, subject: wordpressFiles, method, expected: 'lost' }, context(wordpressFiles));
    recordResult(task.meta, result);
    assertVerdict(result);
    expect(result.evidence.some((line) => /is owned by 0:0, was 33:33/.test(line))).toBe(true);
  });
});

describe('hot versus quiesced: a file-level copy of a running database', () => {
  test.for(DATABASES.map((subject) => ({ subject, name: subject.displayName })))('$name, tar while it writes', async ({ subject }, { task }) => {
    const result = await runBackupDrill({ scenario: SCENARIO, subject, method: helperTar({ mode: 'hot' }), expected: 'survives' }, context(subject));
    recordResult(task.meta, result);
    // Whether a hot copy restores is what this result reports, not something the suite can
    // promise. What must hold: the harness reached a verdict, and a copy of a running server
    // restores as a crashed one (crash recovery runs) whenever the server started at all.
    expect(result.status).not.toBe('errored');
    if (backupFacts(result)?.restoredServiceStarted) expect(backupFacts(result)?.crashRecovery).toBe(true);
  });
});

// Beside the hot tar above: the same running database, its disk snapshotted at one instant.
// Needs the power-loss disks (root, loop devices, a local engine): skipped, with the reason, where they cannot be made.
const snapshotsUnsupported = await powerCutUnsupported(await checkEngine());
describe.skipIf(snapshotsUnsupported !== undefined)('crash-consistent snapshot: the running disk copied at one instant', () => {
  test.for(DATABASES.map((subject) => ({ subject, name: subject.displayName })))('$name, snapshot while it writes', async ({ subject }, { task }) => {
    const result = await runBackupDrill({ scenario: SCENARIO, subject, method: diskSnapshot(), expected: 'survives' }, context(subject));
    recordResult(task.meta, result);
    // A durable server recovers from what its disk held: every write acknowledged before the
    // snapshot is there, after the crash recovery a power cut would need too.
    assertVerdict(result);
    expect(backupFacts(result)?.rpo?.missingBeforeBackup).toBe(0);
    expect(backupFacts(result)?.crashRecovery).toBe(true);
  });
});
if (snapshotsUnsupported) progress(`backup: the crash-consistent snapshot cells are not run: ${snapshotsUnsupported}`);

describe('your own backup procedure', async () => {
  const procedures = await loadProcedures(PROCEDURE_FILE);
  test.for(procedures.map((procedure) => ({ procedure, name: procedure.name })))('$name', async ({ procedure }, { task }) => {
    const result = await procedureDrill(procedure);
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative controls: broken backups must be reported', () => {
  test('a backup command that silently skips a table', async ({ task }) => {
    const [procedure] = await loadProcedures(fixture('skips-a-table.json'));
    const cell = await procedureDrill(procedure!, ONE_TRIAL);
    const sabotage = 'pg_dump --exclude-table=readings in the backup command';
    proveControl(
      task.meta,
      negativeControl(cell, { title: 'a dump that skips the readings table', sabotage, caughtWhen: evidenceShows('table readings is absent') }),
    );
  });

  test('a backup command that silently skips a file', async ({ task }) => {
    const [procedure] = await loadProcedures(fixture('skips-a-file.json'));
    const cell = await procedureDrill(procedure!, ONE_TRIAL);
    const sabotage = 'the backup command removes wp-content/plugins/persist-marker before taring';
    const caughtWhen = evidenceShows('file wp-content/plugins/persist-marker/persist-marker.php is absent');
    proveControl(task.meta, negativeControl(cell, { title: 'a site archive that skips a plugin', sabotage, caughtWhen }));
  });

  test('a rotation that deletes too much', async ({ task }) => {
    const subject = SUBJECTS.postgres;
    const method = rotatingScript({ mode: 'quiesced', scriptKeepDays: 6 });
    const cell = await runBackupDrill(
      {
        scenario: SCENARIO,
        subject,
        method,
        expected: 'survives',
        variant: 'rotation-keeps-6-days',
        title: `${subject.displayName}: the rotating script told to keep 6 days`,
      },
      { ...context(subject), ...ONE_TRIAL },
    );
    const sabotage = 'backup-volumes.sh runs with KEEP_DAYS=6 where 7 days are promised';
    const caughtWhen = evidenceShows(/the rotation is wrong: .*was deleted but is younger than 8 days/);
    proveControl(task.meta, negativeControl(cell, { title: 'a rotation that deletes too much', sabotage, caughtWhen }));
  });

  test('a truncated archive', async ({ task }) => {
    const subject = SUBJECTS.postgres;
    const cell = await runBackupDrill(
      {
        scenario: SCENARIO,
        subject,
        method: truncatingTar(),
        expected: 'survives',
        variant: 'truncated-archive',
        title: `${subject.displayName}: a truncated archive`,
      },
      { ...context(subject), ...ONE_TRIAL },
    );
    const caughtWhen = (c: CellResult) => backupFacts(c)?.integrity === 'corrupt';
    proveControl(
      task.meta,
      negativeControl(cell, { title: 'a truncated archive', sabotage: 'the .tar.gz is cut to half its size after the backup', caughtWhen }),
    );
  });

  test('a restore into the wrong path', async ({ task }) => {
    const subject = SUBJECTS.postgres;
    const cell = await runBackupDrill(
      {
        scenario: SCENARIO,
        subject,
        method: restoreIntoWrongPath(),
        expected: 'survives',
        variant: 'wrong-restore-path',
        title: `${subject.displayName}: restored one level too deep`,
      },
      { ...context(subject), ...ONE_TRIAL },
    );
    const sabotage = 'tar xzf without --strip-components 1: the data lands in data/ inside the data directory';
    proveControl(task.meta, negativeControl(cell, { title: 'a restore into the wrong path', sabotage }));
  });
});
