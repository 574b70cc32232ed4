import { describe, expect, test } from 'vitest';
import type { CheckCell } from '../report/model.ts';
import { CHECK_DISRUPTIONS } from '../report/vocabulary.ts';
import { type CellPlace, compareWithPlan, completenessErrors, owedCells, owedProbes, type PlannedSubject } from './check-plan.ts';
import type { AuditDataPath } from './check-subjects.ts';

const dataPath = (path: string, origin: AuditDataPath['origin'] = 'image-volume') =>
  ({ path, why: 'test', origin, storage: { kind: 'named-volume' }, fates: {} }) as AuditDataPath;

function subject(name: string, paths: string[], own: Partial<PlannedSubject> = {}): PlannedSubject {
  const dataPaths = paths.map((path) => dataPath(path));
  return {
    service: { service: name, image: 'x', imageId: 'x', facts: { source: 'local-image' }, mounts: [], dataPaths },
    settings: undefined,
    command: undefined,
    primary: dataPaths[0],
    database: undefined,
    databasePath: dataPaths[0],
    objectsKit: undefined,
    site: undefined,
    ...own,
  };
}

const database = {} as NonNullable<PlannedSubject['database']>;
const site = {} as NonNullable<PlannedSubject['site']>;
const command = {} as NonNullable<PlannedSubject['command']>;
const probes = (s: PlannedSubject, d: (typeof CHECK_DISRUPTIONS)[number]) => owedProbes(s, d).map((o) => `${o.probe} ${o.path.path}`);

describe('what a subject owes on a disruption', () => {
  test('a file in every data path, the dataset and the site on the server’s data path', () => {
    const db = subject('db', ['/var/lib/mysql', '/etc/mysql'], { database });
    expect(probes(db, 'kill')).toEqual(['file /var/lib/mysql', 'file /etc/mysql', 'dataset /var/lib/mysql']);
    const blog = subject('blog', ['/var/www/html'], { site });
    expect(probes(blog, 'down + up')).toEqual(['file /var/www/html', 'site /var/www/html']);
  });

  test('an upgrade only where one is named, a backup only where the user gave one', () => {
    const db = subject('db', ['/data'], { database });
    expect(probes(db, 'upgrade')).toEqual([]);
    expect(probes(db, 'backup-restore')).toEqual([]);
    const upgraded = subject('db', ['/data'], { database });
    upgraded.service.upgrade = { image: 'y', imageId: 'y', dataPaths: [] };
    expect(probes(upgraded, 'upgrade')).toEqual(['file /data', 'dataset /data']);
  });

  test('a backup is judged through the server, or by the user’s own fingerprint where they gave one', () => {
    const settings = { backup: 'dump', restore: 'load' } as PlannedSubject['settings'];
    expect(probes(subject('db', ['/data'], { database, settings }), 'backup-restore')).toEqual(['dataset /data']);
    expect(probes(subject('db', ['/data'], { database, settings, command }), 'backup-restore')).toEqual(['command /data']);
    expect(probes(subject('files', ['/data'], { settings }), 'backup-restore')).toEqual(['file /data']);
  });

  test("a restore compares a known database's objects too, whatever else judges it; nothing else does", () => {
    const settings = { backup: 'dump', restore: 'load' } as PlannedSubject['settings'];
    const mysql = { objectsKit: 'mysql', database, settings };
    expect(probes(subject('db', ['/var/lib/mysql'], mysql), 'backup-restore')).toEqual(['dataset /var/lib/mysql', 'objects /var/lib/mysql']);
    expect(probes(subject('db', ['/var/lib/mysql'], { ...mysql, command }), 'backup-restore')).toEqual(['objects /var/lib/mysql', 'command /var/lib/mysql']);
    expect(probes(subject('db', ['/var/lib/mysql'], mysql), 'down + up')).toEqual(['file /var/lib/mysql', 'dataset /var/lib/mysql']);
  });
});

describe('the cells a check owes', () => {
  const subjects = [subject('db', ['/data'], { database }), subject('blog', ['/var/www/html'], { site })];
  const disruptions = ['restart', 'kill', 'down + up'] as const;
  const owed = owedCells(subjects, disruptions);
  const asCells = (places: CellPlace[]) => places.map((place) => ({ ...place }) as CellPlace);

  test('subjects × probes × disruptions', () => {
    expect(owed).toHaveLength(2 * 2 * 3);
  });

  test('complete cells give no error', () => {
    expect(completenessErrors(owed, asCells(owed))).toEqual([]);
  });

  test('a cell that vanished is named, with the counts', () => {
    const produced = owed.filter((place) => !(place.service === 'blog' && place.probe === 'site' && place.lifecycle === 'kill'));
    expect(compareWithPlan(owed, produced).missing).toEqual([{ service: 'blog', path: '/var/www/html', probe: 'site', lifecycle: 'kill' }]);
    expect(completenessErrors(owed, produced)).toEqual([
      'The check owed 12 cells and produced 11: missing blog /var/www/html (site) after `kill`. This is a harness bug; please report it.',
    ]);
  });

  test('a cell produced twice is not mistaken for a missing one: it is one never owed', () => {
    const twice = [...owed, owed[0] as CellPlace];
    expect(compareWithPlan(owed, twice)).toEqual({ missing: [], unplanned: [owed[0]] });
    expect(completenessErrors(owed, twice)).toHaveLength(1);
  });

  test('an empty check owes nothing and is complete, which the exit code treats as no verdict (tested in model)', () => {
    expect(completenessErrors([], [] as CheckCell[])).toEqual([]);
  });
});
