import { describe, expect, test } from 'vitest';
import { parseXPersist } from './x-persist.ts';

const services = ['db', 'app'];

describe('the x-persist block', () => {
  test('absent means no settings', () => {
    expect(parseXPersist(undefined, services)).toEqual({});
  });

  test('data paths and an upgrade per service', () => {
    const block = { services: { app: { data: ['/srv/data'] }, db: { upgrade: { image: 'postgres:18' } } } };
    expect(parseXPersist(block, services)).toEqual(block);
  });

  test('a service that does not exist is named, with the ones that do', () => {
    expect(() => parseXPersist({ services: { web: { data: ['/x'] } } }, services)).toThrow(
      'x-persist.services.web names no service of this project (its services: db, app).',
    );
  });

  test('an unknown key is named, with the known ones', () => {
    expect(() => parseXPersist({ services: { app: { datas: ['/x'] } } }, services)).toThrow(
      'x-persist.services.app has an unknown key `datas` (known: data, ephemeral, upgrade).',
    );
    expect(() => parseXPersist({ service: {} }, services)).toThrow('x-persist has an unknown key `service` (known: services).');
  });

  test('a data path must be absolute', () => {
    expect(() => parseXPersist({ services: { app: { data: ['data'] } } }, services)).toThrow(
      'x-persist.services.app.data.0 must be an absolute path in the container, not "data".',
    );
  });
});
