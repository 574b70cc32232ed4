import { describe, expect, test } from 'vitest';
import type { ServiceSettings } from '../../compose/x-persist.ts';
import type { Audit } from '../../report/model.ts';
import { CHECK_DISRUPTIONS } from '../../report/vocabulary.ts';
import { UsageError } from '../../errors.ts';
import { CHECK_DRILLS, checkDrill, chosenDisruptions, drillsFor } from './all.ts';

const service = (name: string, upgrade?: string) => ({ service: name, ...(upgrade ? { upgrade: { image: upgrade } } : {}) }) as Audit['services'][number];
const audit = (services: Audit['services']) => ({ services }) as Audit;

describe("the check's disruptions, one module each", () => {
  test('every disruption the report knows has its drill, in the order the check runs them', () => {
    expect(CHECK_DRILLS.map((drill) => drill.name)).toEqual([...CHECK_DISRUPTIONS]);
  });

  test('a project gets an upgrade only where a service names one, a backup only where one is given', () => {
    const plain = drillsFor(audit([service('db')]), {}).map((drill) => drill.name);
    expect(plain).toEqual(['restart', 'kill', 'up --force-recreate', 'down + up', 'down -v + up']);
    const own: Record<string, ServiceSettings> = { db: { backup: 'pg_dump', restore: 'psql' } as ServiceSettings };
    expect(drillsFor(audit([service('db', 'postgres:18')]), own).map((drill) => drill.name)).toEqual(CHECK_DISRUPTIONS.filter((name) => name !== 'power-cut'));
  });

  test('the power cut runs only where --disruptions names it; a name it does not know is one sentence', () => {
    expect(drillsFor(audit([service('db')]), {}, chosenDisruptions(['power-cut', 'restart'])).map((drill) => drill.name)).toEqual(['restart', 'power-cut']);
    expect(() => chosenDisruptions(['restart', 'reboot'])).toThrow(/^Unknown disruption: reboot\.$/);
    expect(() => chosenDisruptions([])).toThrow(UsageError);
  });

  test('an upgrade and a backup judge only the services that give one; the rest judge every service', () => {
    const plain = { service: service('db'), settings: undefined };
    expect(checkDrill('upgrade').judges(plain)).toBe(false);
    expect(checkDrill('upgrade').judges({ service: service('db', 'postgres:18'), settings: undefined })).toBe(true);
    expect(checkDrill('backup-restore').judges(plain)).toBe(false);
    expect(checkDrill('backup-restore').judges({ service: service('db'), settings: { backup: 'x' } as ServiceSettings })).toBe(true);
    for (const name of ['restart', 'kill', 'up --force-recreate', 'down + up', 'down -v + up'] as const) expect(checkDrill(name).judges(plain)).toBe(true);
  });

  test('a kill is predicted as a restart and lands under write load; a backup of the user’s own is not predicted at all', () => {
    expect(checkDrill('kill').predictedAs).toBe('restart');
    expect(CHECK_DRILLS.filter((drill) => drill.underWriteLoad).map((drill) => drill.name)).toEqual(['kill', 'power-cut']);
    expect(checkDrill('power-cut').predictedAs).toBeUndefined();
    expect(checkDrill('backup-restore').predictedAs).toBeUndefined();
    expect(checkDrill('backup-restore').byProcedure).toBe(true);
    expect(checkDrill('down -v + up').predictedAs).toBe('down -v + up');
  });
});

describe('what the user needs', () => {
  test('data survives every disruption', () => {
    for (const name of ['restart', 'kill', 'up --force-recreate', 'down + up', 'backup-restore', 'upgrade'] as const)
      expect(checkDrill(name).required('named-volume', false)).toBe('kept');
  });

  test('a power cut judges the named volumes, the disks it cuts; other storage is not its business', () => {
    const cut = checkDrill('power-cut');
    expect(cut.required('named-volume', false)).toBe('kept');
    expect(cut.required('external-volume', false)).toBe('kept');
    for (const storage of ['bind-mount', 'tmpfs', 'anonymous-volume', 'writable-layer'] as const) expect(cut.required(storage, false)).toBeUndefined();
  });

  test('unless the path is ephemeral: then nothing is required', () => {
    expect(checkDrill('restart').required('tmpfs', true)).toBeUndefined();
  });

  test("down -v must remove what the project manages, and is not a bind mount's or an external volume's business", () => {
    const control = checkDrill('down -v + up');
    expect(control.required('named-volume', false)).toBe('lost');
    expect(control.required('anonymous-volume', false)).toBe('lost');
    expect(control.required('image-volume', false)).toBe('lost');
    expect(control.required('bind-mount', false)).toBeUndefined();
    expect(control.required('external-volume', false)).toBeUndefined();
  });
});
