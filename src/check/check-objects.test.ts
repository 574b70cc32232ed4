import { describe, expect, it } from 'vitest';
import { type InventoryObject, objectName } from '../data/inventory.ts';
import { judgeObjects } from './check-objects.ts';

const object = (kind: InventoryObject['kind'], name: string): InventoryObject => ({ kind, database: 'app', name });
const before = [object('table', 'notes'), object('procedure', 'archive_notes'), object('event', 'purge'), object('trigger', 'notes.stamp')];

describe("a restored database's objects against its source's", () => {
  it('names each object the restore lacks', () => {
    const judged = judgeObjects(before, [object('table', 'notes'), object('trigger', 'notes.stamp'), object('table', 'extra')]);
    expect(judged.lost.map(objectName)).toEqual(['app.archive_notes (procedure)', 'app.purge (event)']);
    expect(judged.evidence).toBe(
      "its 4 objects before the backup (1 table, 1 procedure, 1 trigger, 1 event), from the server's catalogues: app.archive_notes (procedure), app.purge (event) are not there after the restore",
    );
  });

  it('says when every one was kept', () => {
    expect(judgeObjects(before, before)).toEqual({ lost: [], evidence: expect.stringMatching(/: every one is there after the restore$/) });
  });
});
