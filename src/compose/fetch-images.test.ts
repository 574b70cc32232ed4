import { describe, expect, test } from 'vitest';
import type { MissingImage } from '../compose/audit-project.ts';
import { fetchPlan } from './fetch-images.ts';

const MISSING: MissingImage[] = [
  { service: 'app', image: 'shop-app', verb: 'build', command: 'docker compose -f compose.yaml build app' },
  { service: 'db', image: 'postgres:17', verb: 'pull', command: 'docker compose -f compose.yaml pull db' },
  { service: 'cache', image: 'redis:7', verb: 'pull', command: 'docker compose -f compose.yaml pull cache' },
];

describe('what --pull and --build fetch', () => {
  test('each only what it names; nothing without either', () => {
    expect(fetchPlan(MISSING, { pull: true })).toEqual([{ verb: 'pull', services: ['db', 'cache'] }]);
    expect(fetchPlan(MISSING, { build: true })).toEqual([{ verb: 'build', services: ['app'] }]);
    expect(fetchPlan(MISSING, { pull: true, build: true }).map((step) => step.verb)).toEqual(['pull', 'build']);
    expect(fetchPlan(MISSING, {})).toEqual([]);
  });
});
