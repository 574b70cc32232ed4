// A restored database's objects against those its server held before the backup: every view,
// routine, trigger, event, sequence, index and constraint, not only the tables the check wrote.
// A dump made as the seed writes it (`mysqldump -u root -p mydb`) restores every row and leaves
// the procedures and events behind: the cell says which.
import { type InventoryObject, kindCounts, missingObjects, objectName } from '../data/inventory.ts';

export interface ObjectsJudgement {
  lost: InventoryObject[];
  evidence: string;
}

/** What the restore kept of the objects listed before the backup, each one missing named. */
export function judgeObjects(before: readonly InventoryObject[], after: readonly InventoryObject[]): ObjectsJudgement {
  const lost = missingObjects(before, after);
  const listed = `its ${before.length} objects before the backup (${kindCounts(before) || 'none'}), from the server's catalogues`;
  return {
    lost,
    evidence:
      lost.length === 0
        ? `${listed}: every one is there after the restore`
        : `${listed}: ${lost.map(objectName).join(', ')} ${lost.length === 1 ? 'is' : 'are'} not there after the restore`,
  };
}
