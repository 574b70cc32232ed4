// The assembly of a round's cells, on a stand-in for the copy (a container that runs and answers,
// a log with a line of its own): where a later round could not write the dataset or the site,
// those cells are there, unavailable, with the reason and the service's last log lines.
import { describe, expect, test } from 'vitest';
import type { Fingerprint } from '../data/fingerprint.ts';
import type { FileProbe } from '../probes/file-probe.ts';
import { probeFileIn } from '../probes/file-probe.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import { siteKitOf } from '../services/sites.ts';
import { observe } from './check-observe.ts';
import { compareWithPlan, owedCells } from './check-plan.ts';
import type { AuditDataPath, Seeded, Subject } from './check-subjects.ts';

const FILES_PATH = '/var/www/html';
const written: Fingerprint = { [probeFileIn(FILES_PATH)]: { present: true, rows: 64, contentHash: 'abc' } };

/** A copy whose one container runs, has no ready command, and logs a line of its own; reading files can be made to fail. */
function copy(readFiles: () => Promise<Fingerprint>): { stack: ComposeStack; files: FileProbe } {
  const stack = {
    hasContainer: () => true,
    containerId: () => 'container',
    inspect: async () => ({ running: true, exitCode: 0 }),
    logs: async () => 'AH00558: apache2 answered 500 while the database was busy\n',
    redact: (text: string) => text,
  } as unknown as ComposeStack;
  return { stack, files: { fingerprint: readFiles } as unknown as FileProbe };
}

function blog(files: FileProbe): Subject {
  const path = {
    path: FILES_PATH,
    why: 'the image VOLUME',
    origin: 'image-volume',
    storage: { kind: 'named-volume' },
    fates: { restart: 'kept' },
  } as AuditDataPath;
  return {
    service: { service: 'blog', image: 'wordpress', imageId: 'x', facts: { source: 'local-image' }, mounts: [], dataPaths: [path] },
    settings: undefined,
    files,
    command: undefined,
    primary: path,
    database: {} as NonNullable<Subject['database']>,
    databasePath: path,
    objectsKit: undefined,
    site: { services: { web: 'blog', database: 'db', login: { user: 'u', password: 'p', database: 'wp' } }, kit: siteKitOf('wordpress')!, rows: path },
    strandedByHostname: [],
  };
}

describe('a round whose own probes could not be written', () => {
  test('still has every cell it owes: the dataset and the site unavailable, with the reason and the last log lines', async () => {
    const { stack, files } = copy(async () => written);
    const subject = blog(files);
    const seeded: Seeded = { subject, files: written, command: undefined, problems: { dataset: 'connection refused', site: 'wp.newPost: HTTP 500' } };
    const cells = await observe(stack, seeded, 'kill', undefined);
    expect(cells.map((cell) => `${cell.probe} ${cell.observed} ${cell.status}`)).toEqual([
      'file kept passed',
      'dataset unavailable failed',
      'site unavailable failed',
    ]);
    expect(cells[2]?.evidence.join(' ')).toMatch(/the site could not be written before `kill`: wp.newPost: HTTP 500; its last log lines: AH00558/);
    expect(cells[1]?.evidence.join(' ')).toMatch(/connection refused/);
    expect(compareWithPlan(owedCells([subject], ['kill']), cells).missing).toEqual([]);
  });

  test('a read that throws is the cell’s answer, unavailable with the error', async () => {
    const { stack, files } = copy(() => Promise.reject(new Error('exec failed: no such container')));
    const subject = blog(files);
    const seeded: Seeded = { subject, files: written, command: undefined, problems: { dataset: 'refused', site: 'refused' } };
    const cells = await observe(stack, seeded, 'down + up', undefined);
    expect(cells.map((cell) => `${cell.probe} ${cell.observed}`)).toEqual(['file unavailable', 'dataset unavailable', 'site unavailable']);
    expect(cells[0]?.evidence).toEqual(['reading it back after `down + up` failed: exec failed: no such container']);
  });

  test('a service that was not ready to be written owes its cells all the same', async () => {
    const { stack, files } = copy(async () => written);
    const subject = blog(files);
    const seeded: Seeded = { subject, files: undefined, command: undefined, notReady: 'before the disruption, blog exited with code 1', problems: {} };
    const cells = await observe(stack, seeded, 'restart', undefined);
    expect(cells.map((cell) => `${cell.probe} ${cell.observed}`)).toEqual(['file unavailable', 'dataset unavailable', 'site unavailable']);
    for (const cell of cells) expect(cell.evidence.join(' ')).toMatch(/blog exited with code 1/);
  });
});
