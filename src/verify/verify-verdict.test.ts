import { describe, expect, it } from 'vitest';
import { integrityProblems, judgeDamagedCopy, type PassOutcome, problemsOf, verifyVerdict, windowProblems, judgeDamagedArchive } from './verify-verdict.ts';

const restored: PassOutcome = {
  failure: undefined,
  tables: [
    { database: 'shop', table: 'public.orders', rows: 50 },
    { database: 'shop', table: 'public.users', rows: 2 },
  ],
  expectations: [{ expectation: 'select count(*) from orders ≥ 10', observed: '50', passed: true }],
  dataAge: null,
};

describe('the verdict of a verification', () => {
  it('is verified only when the restore held and the damaged copy failed', () => {
    expect(problemsOf(restored, false)).toEqual([]);
    expect(verifyVerdict([], { failed: true })).toBe('verified');
    expect(verifyVerdict([], { failed: false })).toBe('unable-to-fail');
    expect(verifyVerdict(['The restore failed: x'], null)).toBe('failed');
  });

  it('fails an empty restore unless it is allowed', () => {
    const empty = { ...restored, tables: [] };
    expect(problemsOf(empty, false)[0]).toMatch(/no table/);
    expect(problemsOf(empty, true)).toEqual([]);
    expect(problemsOf({ ...restored, tables: [{ database: 'shop', table: 't', rows: 0 }] }, false)[0]).toMatch(/not one row/);
  });

  it("names the server's reason for an empty restore where it has one", () => {
    const ignored = { ...restored, tables: [], emptyBecause: 'the server runs with appendonly yes' };
    expect(problemsOf(ignored, false)).toEqual(['The restore brought back nothing: the server runs with appendonly yes.']);
  });

  it('names the expectation and the age that failed', () => {
    const stale: PassOutcome = {
      ...restored,
      expectations: [{ expectation: 'select count(*) from orders ≥ 1000', observed: '50', passed: false }],
      dataAge: { query: 'q', newest: '2026-12-01T00:00:00.000Z', ageMs: 30 * 3_600_000, maxAgeMs: 26 * 3_600_000, passed: false },
    };
    expect(problemsOf(stale, false)).toEqual([
      'Expected select count(*) from orders ≥ 1000; observed 50.',
      'The newest row is 1d 6h old (2026-12-01T00:00:00.000Z), more than the allowed 1d 2h.',
    ]);
  });
});

describe('the damaged copy', () => {
  it('fails when its restore fails', () => {
    expect(judgeDamagedCopy(restored, { ...restored, failure: 'pg_restore exited 1' })).toEqual({
      failed: true,
      reason: 'its restore failed: pg_restore exited 1',
    });
  });
  it('fails when it restores cleanly with other rows (a dump cut between statements)', () => {
    const cut = { ...restored, tables: [{ database: 'shop', table: 'public.orders', rows: 20 }] };
    expect(judgeDamagedCopy(restored, cut).reason).toBe(
      'it restored without an error, but not the same data: shop.public.users missing; shop.public.orders has 20 rows, not 50',
    );
  });
  it('passes when nothing tells it from the intact artifact: the verification cannot fail', () => {
    expect(judgeDamagedCopy(restored, restored)).toMatchObject({ failed: false });
  });
});

describe("the integrity tools' verdicts", () => {
  it('are problems where a tool found a fault, and nothing where all agree', () => {
    expect(integrityProblems([{ tool: 'pg_restore --list', passed: true, detail: '14 entries' }])).toEqual([]);
    expect(
      integrityProblems([
        { tool: 'pg_verifybackup', passed: false, detail: 'error: "base/1/1259" has checksum mismatch.' },
        { tool: 'redis-check-aof', passed: true, detail: 'valid' },
      ]),
    ).toEqual(['pg_verifybackup found a fault in the artifact: error: "base/1/1259" has checksum mismatch.']);
  });
});

describe('a continuous archive with a gap', () => {
  it('names the last point reachable, what is missing, and what the gap costs', () => {
    const gap = {
      missing: '000000010000000000000007',
      lastReachable: '2026-12-07T21:52:36.069Z',
      resumesAt: '000000010000000000000008',
      unreachableCommits: 2,
    };
    expect(windowProblems({ gaps: [gap] })).toEqual([
      'The archive cannot be replayed past 2026-12-07T21:52:36.069Z: 000000010000000000000007 is missing, so the 2 commit(s) it holds from 000000010000000000000008 on cannot be reached from this base backup.',
    ]);
    expect(windowProblems({ gaps: [] })).toEqual([]);
    expect(windowProblems(undefined)).toEqual([]);
  });
});

describe("an archive's damaged copy, one segment gone", () => {
  const intact = { end: '2026-12-07T11:00:00.000Z' };
  const holed = {
    end: '2026-12-07T10:20:00.000Z',
    gaps: [{ missing: '000000010000000000000005', lastReachable: '2026-12-07T10:20:00.000Z', resumesAt: '000000010000000000000006', unreachableCommits: 4 }],
  };
  const lessData = { failed: true, reason: 'it restored without an error, but not the same data: shop.public.orders has 200 rows, not 350' };
  it('fails as it must when its window ends at the gap and its restore stopped there', () => {
    expect(judgeDamagedArchive('000000010000000000000005', intact, holed, lessData)).toEqual({
      failed: true,
      reason:
        'its window ends at 2026-12-07T10:20:00.000Z, where 000000010000000000000005 is missing (the intact one at 2026-12-07T11:00:00.000Z), and the restore stopped there: restored without an error, but not the same data: shop.public.orders has 200 rows, not 350',
    });
    expect(judgeDamagedArchive('000000010000000000000005.gz', intact, holed, lessData).failed).toBe(true);
  });
  it('could not have failed when the restore came back whole, or the window was read past the gap', () => {
    const whole = { failed: false, reason: 'it restored without an error, with the same tables and row counts as the intact artifact' };
    expect(judgeDamagedArchive('000000010000000000000005', intact, holed, whole)).toMatchObject({
      failed: false,
      reason: expect.stringMatching(/but the restore came back whole/),
    });
    // The run's last file gone: no gap, a window that ends sooner.
    expect(judgeDamagedArchive('000000010000000000000007', intact, { end: holed.end, gaps: [] }, lessData)).toMatchObject({
      failed: true,
      reason: expect.stringMatching(/^its window ends at 2026-12-07T10:20:00.000Z, its last file, 000000010000000000000007, gone/),
    });
    expect(judgeDamagedArchive('000000010000000000000005', intact, { end: intact.end, gaps: [] }, lessData)).toMatchObject({
      failed: false,
      reason: expect.stringMatching(/^its window was read without the gap at 000000010000000000000005/),
    });
  });
});
