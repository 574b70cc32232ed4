import { describe, expect, test } from 'vitest';
import type { MissingImage } from '../compose/audit-project.ts';
import { HarnessError } from '../errors.ts';
import { selectServices, type SelectableService } from './selection.ts';

const service = (name: string, dependsOn: string[] = [], volumesFrom: string[] = []): SelectableService => ({ name, dependsOn, volumesFrom });
// A web app that is built, its worker that shares its files, its database and a cache.
const PROJECT = [service('app', ['db', 'cache']), service('worker', ['db'], ['app:ro']), service('db'), service('cache')];
const APP_UNBUILT: MissingImage[] = [{ service: 'app', image: 'shop-app', verb: 'build', command: 'docker compose -f compose.yaml build app' }];

describe('the services a check runs', () => {
  test('every service whose image is here; one that is not, and one that needs it, are left out with the reason', () => {
    const selection = selectServices(PROJECT, APP_UNBUILT);
    expect(selection.checked).toEqual(['db', 'cache']);
    expect(selection.leftOut).toEqual([
      { service: 'app', reason: 'its image shop-app is not on this machine (`docker compose -f compose.yaml build app` brings it)' },
      { service: 'worker', reason: 'it needs app, whose image shop-app is not on this machine' },
    ]);
  });

  test('--services: those named and what they depend on', () => {
    expect(selectServices(PROJECT, APP_UNBUILT, ['db'])).toEqual({ checked: ['db'], leftOut: [] });
    expect(selectServices(PROJECT, [], ['worker']).checked).toEqual(['app', 'worker', 'db', 'cache']);
  });

  test('a service named that cannot run is refused, with the command that brings its image', () => {
    expect(() => selectServices(PROJECT, APP_UNBUILT, ['worker'])).toThrow(HarnessError);
    expect(() => selectServices(PROJECT, APP_UNBUILT, ['worker'])).toThrow(/Image shop-app of service app is not on this machine, so the copy cannot start it/);
  });

  test('a name that is not a service is bad input; a project with nothing left to run is refused', () => {
    expect(() => selectServices(PROJECT, [], ['dbb'])).toThrow('--services names dbb, not a service of this project (its services: app, worker, db, cache).');
    const alone = [service('app')];
    expect(() => selectServices(alone, APP_UNBUILT)).toThrow(/so the copy cannot start it/);
  });
});
