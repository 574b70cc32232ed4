import { describe, expect, it } from 'vitest';
import {
  countsByKind,
  type Inventory,
  type InventoryObject,
  isBehind,
  judgeObject,
  judgeObjectCount,
  keptWords,
  missingObjects,
  sequenceProblems,
  type SequenceState,
} from './inventory.ts';

const orders = (next: number, highest: number | null, unique = true): SequenceState => ({
  database: 'shop',
  name: 'public.orders_id_seq',
  next,
  increment: 1,
  feeds: { table: 'public.orders', column: 'id', highest, unique },
});

const shop: Inventory = {
  engine: 'postgres',
  objects: [
    { kind: 'table', database: 'shop', name: 'public.orders', owner: 'shop' },
    { kind: 'function', database: 'shop', name: 'public.apply_discount(integer)', owner: 'shop' },
    { kind: 'trigger', database: 'shop', name: 'public.orders.audit_order', owner: 'shop' },
    { kind: 'trigger', database: 'shop', name: 'public.orders.stamp_order', owner: 'shop' },
    { kind: 'view', database: 'crm', name: 'public.customers', owner: 'crm' },
  ],
  sequences: [orders(20_001, 20_000)],
  roles: ['crm', 'shop'],
  rolesNote: null,
  ms: 40,
};

describe('a sequence against the column it feeds', () => {
  it('is behind when its next value is one the column already holds, in either direction', () => {
    expect(isBehind(orders(20_001, 20_000))).toBe(false);
    expect(isBehind(orders(20_000, 20_000))).toBe(true);
    expect(isBehind(orders(2, 20_000))).toBe(true);
    expect(isBehind({ ...orders(-11, -10), increment: -1 })).toBe(false);
    expect(isBehind({ ...orders(-10, -10), increment: -1 })).toBe(true);
  });

  it('is never behind an empty table, nor when it feeds no column', () => {
    expect(isBehind(orders(1, null))).toBe(false);
    expect(isBehind({ ...orders(1, 5), feeds: null })).toBe(false);
  });

  it("names the sequence, the table, both values and the fix in the server's own SQL; a column without a unique constraint does not fail the insert", () => {
    expect(sequenceProblems([orders(2, 20_000)], 'postgres')).toEqual([
      "The sequence shop.public.orders_id_seq would give 2 next, and public.orders.id already holds 20,000: the first insert that takes its value would fail with a duplicate key. Set it past the rows after the restore: SELECT setval('public.orders_id_seq', (SELECT max(id) FROM public.orders));",
    ]);
    const mariadb = { ...orders(2, 500, false), name: 'order_seq', feeds: { table: 'orders', column: 'id', highest: 500, unique: false } };
    expect(sequenceProblems([mariadb], 'mysql')[0]).toMatch(/new rows would repeat values the column already holds\. .*SELECT SETVAL\(order_seq, 500\);$/);
    expect(sequenceProblems([orders(20_001, 20_000)], 'postgres')).toEqual([]);
  });
});

describe('objects', () => {
  it('missing against an earlier inventory: by kind, database and name', () => {
    const now = shop.objects.filter((object) => object.kind !== 'trigger');
    expect(missingObjects(shop.objects, now).map((object) => object.name)).toEqual(['public.orders.audit_order', 'public.orders.stamp_order']);
    expect(missingObjects(shop.objects, [...shop.objects].reverse())).toEqual([]);
  });

  it('counted by kind per database', () => {
    expect(Object.fromEntries(countsByKind(shop.objects).get('shop')!)).toEqual({ table: 1, function: 1, trigger: 2 });
  });

  it('an expectation names one by kind and name, whole or as its last part, in a database or any', () => {
    expect(judgeObject('function apply_discount', undefined, shop)).toEqual({
      expectation: 'function apply_discount exists',
      observed: 'shop.public.apply_discount(integer) (function)',
      passed: true,
    });
    expect(judgeObject('view public.customers', 'shop', shop)).toMatchObject({ passed: false, observed: 'no view public.customers' });
    expect(judgeObject('procedure apply_discount', undefined, shop).passed).toBe(false);
    expect(judgeObject('gizmo x', undefined, shop)).toMatchObject({ passed: false, observed: expect.stringContaining('names no kind') });
    expect(judgeObject('view x', undefined, null)).toMatchObject({ passed: false, observed: expect.stringContaining('no inventory') });
  });

  it('an expectation counts a kind, in a database or all; an unknown plural fails, never passes', () => {
    expect(judgeObjectCount('triggers', { min: 2 }, undefined, shop)).toEqual({ expectation: 'triggers ≥ 2', observed: '2', passed: true });
    expect(judgeObjectCount('triggers', { min: 6 }, 'shop', shop)).toMatchObject({ passed: false, observed: '2' });
    expect(judgeObjectCount('views', { equals: 0 }, 'shop', shop).passed).toBe(true);
    expect(judgeObjectCount('widgets', { min: 0 }, undefined, shop).passed).toBe(false);
  });
});

describe("what a backup kept of its source's objects", () => {
  const object = (kind: InventoryObject['kind'], name: string): InventoryObject => ({ kind, database: 'harness', name });
  const tables = [
    object('table', 'employees'),
    object('table', 'readings'),
    object('view', 'employees_ids'),
    object('trigger', 'employees.employees_last_insert'),
  ];

  it('says all were kept, by kind, or names each one lost', () => {
    expect(keptWords({ kept: tables, lost: [] })).toBe('all 4 kept (2 tables, 1 view, 1 trigger)');
    expect(keptWords({ kept: tables, lost: [object('procedure', 'employees_count'), object('event', 'employees_tidy')] })).toBe(
      'lost harness.employees_count (procedure), harness.employees_tidy (event); kept 2 tables, 1 view, 1 trigger',
    );
    expect(keptWords({ kept: [], lost: [object('table', 'employees')] })).toBe('lost harness.employees (table); kept none');
  });
});
