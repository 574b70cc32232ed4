// The registry is the one list of services (one line per folder under src/services/): everything else is derived from it, and these
// checks fail the moment a list is written out somewhere else or a piece goes missing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROCEDURE_TARGETS } from '../backup/procedure.ts';
import { BACKUP_SUBJECTS } from './backup-subjects.ts';
import { IMAGE_TARGETS, LOCAL_IMAGES, UPGRADE_PAIRS, chooseUpgrades } from '../config.ts';
import { STAND_INS } from '../images/build.ts';
import { SCENARIOS } from '../scenarios.ts';
import { DATABASE_DRIVERS } from './drivers.ts';
import { backupSubjects, databaseServices, SERVICE_NAMES, SERVICES, UPGRADES } from './registry.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join(folder, file));
}

describe('the service registry', () => {
  test('the image settings, stand-in builds and procedure targets are derived from it', () => {
    expect(IMAGE_TARGETS).toEqual(SERVICE_NAMES);
    expect(PROCEDURE_TARGETS).toEqual(backupSubjects());
    expect(Object.keys(BACKUP_SUBJECTS).sort()).toEqual([...backupSubjects()].sort());
    const built = new Set(STAND_INS.map((s) => s.reference));
    for (const name of SERVICE_NAMES) expect(built, name).toContain(LOCAL_IMAGES[name]);
    const local = chooseUpgrades('local', {});
    for (const pair of UPGRADE_PAIRS) {
      expect(built, pair).toContain(local[pair].from);
      expect(built, pair).toContain(local[pair].to);
      expect(chooseUpgrades('official', {})[pair].to).toBe(UPGRADES[pair].official[1]);
    }
  });

  test('every stand-in has its Dockerfile, and is built once', () => {
    for (const build of STAND_INS) expect(existsSync(join(ROOT, 'images', build.folder, 'Dockerfile')), build.folder).toBe(true);
    expect(new Set(STAND_INS.map((s) => s.reference)).size).toBe(STAND_INS.length);
  });

  test('every database service has its driver in its folder, named after it', () => {
    expect(Object.keys(DATABASE_DRIVERS).sort()).toEqual([...databaseServices()].sort());
    for (const [name, driver] of Object.entries(DATABASE_DRIVERS)) {
      expect(driver.name).toBe(name);
      expect(driver.image).toBe(name);
      expect(driver.displayName).toBe(SERVICES[driver.image].displayName);
    }
  });

  test('scenarios name only known images and upgrade pairs', () => {
    for (const scenario of SCENARIOS) {
      for (const image of scenario.images) expect(SERVICE_NAMES, scenario.name).toContain(image);
      for (const pair of scenario.upgrades ?? []) expect(UPGRADE_PAIRS, scenario.name).toContain(pair);
    }
  });

  test("no module but the registry and the service folders' profiles writes out an image reference", () => {
    const reference = /persistence-harness\/[a-z-]+:[\w.-]+|['"`](?:postgres|mysql|mariadb|wordpress|nginx|alpine|redis):\d/;
    const offenders = [...sourceFiles('src'), ...sourceFiles('scenarios')]
      .filter((file) => !/services\/(registry|[a-z-]+\/profile)\.ts$/.test(file))
      .filter((file) => reference.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
