import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT, driftProblems, verifyDrift } from './drift.ts';

const baseline = {
  runId: 'verify-20261201-053000-abcd',
  recoveryMs: 4_000,
  tables: [
    { database: 'shop', table: 'public.orders', rows: 20_000 },
    { database: 'shop', table: 'public.users', rows: 2_000 },
    { database: 'shop', table: 'public.audit', rows: 100 },
  ],
};

describe('a verification against its baseline', () => {
  it('finds a table that lost more rows than allowed, and names it', () => {
    const drift = verifyDrift(
      baseline,
      {
        recoveryMs: 4_050,
        tables: [
          { database: 'shop', table: 'public.orders', rows: 15_000 },
          { database: 'shop', table: 'public.users', rows: 1_900 },
          { database: 'shop', table: 'public.audit', rows: 200 },
        ],
      },
      DEFAULT_DRIFT,
    );
    expect(drift.tables).toEqual([
      { database: 'shop', table: 'public.orders', before: 20_000, after: 15_000, dropPercent: 25, finding: true },
      { database: 'shop', table: 'public.users', before: 2_000, after: 1_900, dropPercent: 5, finding: false },
    ]);
    expect(driftProblems(drift)).toEqual([
      'shop.public.orders has 15,000 rows, 25% fewer than the 20,000 of the baseline (verify-20261201-053000-abcd; at most 20% allowed).',
    ]);
  });

  it('counts a vanished table as all its rows lost', () => {
    const drift = verifyDrift(baseline, { recoveryMs: 4_000, tables: [] }, DEFAULT_DRIFT);
    expect(drift.tables.map((t) => [t.table, t.dropPercent, t.finding])).toEqual([
      ['public.orders', 100, true],
      ['public.users', 100, true],
      ['public.audit', 100, true],
    ]);
  });

  it('finds a recovery regression only beyond both the percent and the ms', () => {
    expect(verifyDrift(baseline, { recoveryMs: 5_000, tables: baseline.tables }, DEFAULT_DRIFT).recovery).toEqual({
      beforeMs: 4_000,
      afterMs: 5_000,
      slowerPercent: 25,
      regressed: true,
    });
    expect(verifyDrift({ ...baseline, recoveryMs: 100 }, { recoveryMs: 150, tables: baseline.tables }, DEFAULT_DRIFT).recovery.regressed).toBe(false);
    expect(driftProblems(verifyDrift(baseline, { recoveryMs: 5_000, tables: baseline.tables }, DEFAULT_DRIFT))).toEqual([
      "The recovery took 5000 ms, 25% slower than the baseline's 4000 ms.",
    ]);
  });

  it('names every object of any kind the baseline had and the restore lacks; without an inventory in the baseline, none is compared', () => {
    const inventory = (names: Array<[kind: 'procedure' | 'view' | 'trigger', name: string]>) => ({
      engine: 'mysql' as const,
      objects: names.map(([kind, name]) => ({ kind, database: 'shop', name })),
      sequences: [],
      roles: [],
      rolesNote: null,
      ms: 12,
    });
    const before = inventory([
      ['procedure', 'apply_discount'],
      ['view', 'orders_total'],
      ['trigger', 'orders.audit_order'],
    ]);
    const drift = verifyDrift({ ...baseline, inventory: before }, { ...baseline, inventory: inventory([['view', 'orders_total']]) }, DEFAULT_DRIFT);
    expect(drift.objects).toEqual([
      { kind: 'procedure', database: 'shop', name: 'apply_discount' },
      { kind: 'trigger', database: 'shop', name: 'orders.audit_order' },
    ]);
    expect(drift.objectsCompared).toBe(true);
    expect(driftProblems(drift)).toEqual([
      `shop.apply_discount (procedure) was in the baseline (${baseline.runId}) and is not in this restore.`,
      `shop.orders.audit_order (trigger) was in the baseline (${baseline.runId}) and is not in this restore.`,
    ]);
    const unlisted = verifyDrift(baseline, { ...baseline, inventory: before }, DEFAULT_DRIFT);
    expect(unlisted).toMatchObject({ objects: [], objectsCompared: false });
  });
});
