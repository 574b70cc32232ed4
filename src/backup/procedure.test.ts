import { describe, expect, test } from 'vitest';
import { parseProcedures } from './procedure.ts';

const PATH = '/work/ops/procedure.json';
const minimal = { name: 'nightly', target: 'postgres', backup: './backup.sh', restore: './restore.sh' };

describe('backup procedure files', () => {
  test("defaults: restore into a volume, not quiesced, 600 s, commands run from the file's folder", () => {
    expect(parseProcedures({ procedures: [minimal] }, PATH)).toEqual([
      { ...minimal, restoreInto: 'volume', quiesce: false, timeoutSeconds: 600, backupDir: undefined, workingDir: '/work/ops' },
    ]);
  });

  test("a relative backupDir is taken from the file's folder", () => {
    expect(parseProcedures({ procedures: [{ ...minimal, backupDir: 'backups' }] }, PATH)[0]?.backupDir).toBe('/work/ops/backups');
  });

  test.for([
    [{}, 'it needs a non-empty "procedures" list'],
    [{ procedures: [{ ...minimal, target: 'redis' }] }, 'procedures[0].target must be one of postgres, mysql, wordpress-files'],
    [{ procedures: [{ ...minimal, backup: '' }] }, 'procedures[0].backup must be a non-empty string'],
    [{ procedures: [{ ...minimal, quiesce: 'yes' }] }, 'procedures[0].quiesce must be true or false'],
    [{ procedures: [{ ...minimal, restoreInto: 'disk' }] }, 'procedures[0].restoreInto must be "volume" or "service"'],
    [{ procedures: [{ ...minimal, retries: 3 }] }, 'procedures[0] has unknown setting retries'],
    [{ procedures: [minimal, minimal] }, 'two procedures are named "nightly"'],
    [
      { procedures: [{ ...minimal, target: 'wordpress-files', restoreInto: 'service' }] },
      'procedures[0]: wordpress-files is files, not a database: it can only be restored into a volume',
    ],
  ] as const)('rejects %o in one sentence', ([config, problem]) => {
    expect(() => parseProcedures(config, PATH)).toThrow(`The procedure file ${PATH} is invalid: ${problem}.`);
  });
});
