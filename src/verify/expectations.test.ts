import { describe, expect, it } from 'vitest';
import { describeDuration, parseDuration } from '../timing/durations.ts';
import { checkExpectations, judgeFreshness, judgeQuery, parseDatabaseTimestamp } from './expectations.ts';

describe('durations', () => {
  it('reads the units people write and says them back', () => {
    expect(parseDuration('26h')).toBe(26 * 3_600_000);
    expect(parseDuration(' 90s ')).toBe(90_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration('26 hours')).toBeUndefined();
    expect(describeDuration(26 * 3_600_000 + 61_000)).toBe('1d 2h');
    expect(describeDuration(400)).toBe('0s');
  });
});

describe('database timestamps', () => {
  it('reads a zone as given and none as UTC', () => {
    expect(parseDatabaseTimestamp('2026-12-01 23:59:58')).toBe(Date.parse('2026-12-01T23:59:58Z'));
    expect(parseDatabaseTimestamp('2026-12-01 23:59:58.5+01')).toBe(Date.parse('2026-12-01T22:59:58.5Z'));
    expect(parseDatabaseTimestamp('2026-12-01T23:59:58-0530')).toBe(Date.parse('2026-12-02T05:29:58Z'));
    expect(parseDatabaseTimestamp('2026-12-01')).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(parseDatabaseTimestamp('yesterday')).toBeUndefined();
  });
});

describe('an expectation on a query', () => {
  const orders = { sql: 'select count(*) from orders', min: 1000 };
  it('holds within its bounds and names what it saw otherwise', () => {
    expect(judgeQuery(orders, { value: '1000' })).toEqual({ expectation: 'select count(*) from orders ≥ 1000', observed: '1000', passed: true });
    expect(judgeQuery(orders, { value: '999' }).passed).toBe(false);
    expect(judgeQuery({ sql: 'select 1', equals: 0 }, { value: '1' }).passed).toBe(false);
    expect(judgeQuery(orders, { value: undefined })).toMatchObject({ observed: 'no row', passed: false });
    expect(judgeQuery(orders, { value: 'many' })).toMatchObject({ observed: 'many (not a number)', passed: false });
    expect(judgeQuery(orders, { error: 'relation "orders" does not exist' })).toMatchObject({
      observed: 'the query failed: relation "orders" does not exist',
      passed: false,
    });
  });
});

describe('freshness', () => {
  const fresh = { sql: 'select max(created_at) from orders', maxAge: '26h' };
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('is the age of the newest row against maxAge', () => {
    expect(judgeFreshness(fresh, { value: '2026-12-02 10:00:00' }, now)).toMatchObject({ ageMs: 7_200_000, passed: true, newest: '2026-12-02T10:00:00.000Z' });
    expect(judgeFreshness(fresh, { value: '2026-11-30 10:00:00+00' }, now)).toMatchObject({ passed: false });
    expect(judgeFreshness(fresh, { value: undefined }, now)).toMatchObject({ passed: false, problem: 'the query returned no timestamp (no row)' });
  });
});

describe('an expectations file', () => {
  it('takes the keys of x-persist verify and names a wrong one', () => {
    expect(checkExpectations({ expect: [{ sql: 'select 1', min: 1 }], fresh: { sql: 'select now()', maxAge: '1h' } }, 'e.yaml')).toBeTruthy();
    expect(() => checkExpectations({ expects: [] }, 'e.yaml')).toThrow('e.yaml: the file has an unknown key `expects`.');
    expect(() => checkExpectations({ expect: [{ query: 'x' }] }, 'e.yaml')).toThrow(
      'e.yaml: expect.0 must be { sql, min | max | equals }, { file }, { object } or { objects }.',
    );
    expect(() => checkExpectations({ fresh: { sql: 'x', maxAge: 'a day' } }, 'e.yaml')).toThrow(/fresh.maxAge/);
  });
});
