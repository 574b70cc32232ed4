import { describe, expect, test } from 'vitest';
import { compareFingerprints, type Fingerprint } from './fingerprint.ts';

const before: Fingerprint = {
  employees: { present: true, rows: 3, contentHash: 'aaa' },
  readings: { present: true, rows: 10_000, contentHash: 'bbb' },
};

describe('compareFingerprints', () => {
  test('identical fingerprints are identical', () => {
    expect(compareFingerprints(before, structuredClone(before))).toEqual({ identical: true, rowsLost: 0, rowsUnexpected: 0, differences: [] });
  });

  test('an absent table loses all its rows', () => {
    const after: Fingerprint = { ...before, readings: { present: false, rows: 0, contentHash: null } };
    const result = compareFingerprints(before, after);
    expect(result.identical).toBe(false);
    expect(result.rowsLost).toBe(10_000);
    expect(result.differences).toEqual(['table readings is absent (had 10000 rows)']);
  });

  test('same count with different content is still a difference', () => {
    const after: Fingerprint = { ...before, employees: { present: true, rows: 3, contentHash: 'changed' } };
    const result = compareFingerprints(before, after);
    expect(result.identical).toBe(false);
    expect(result.rowsLost).toBe(0);
    expect(result.differences).toEqual(['table employees has 3 rows but different content']);
  });

  test('counts lost and unexpected rows separately', () => {
    const after: Fingerprint = {
      employees: { present: true, rows: 5, contentHash: 'x' },
      readings: { present: true, rows: 9_990, contentHash: 'y' },
    };
    const result = compareFingerprints(before, after);
    expect(result.rowsLost).toBe(10);
    expect(result.rowsUnexpected).toBe(2);
  });

  test('other things than tables are worded by their own names', () => {
    const result = compareFingerprints({ 'media file': { present: true, rows: 1, contentHash: 'a' } }, {}, { subject: (n) => n, unit: 'found' });
    expect(result.differences).toEqual(['media file is absent (had 1 found)']);
  });

  test('a table that appears from nowhere is reported', () => {
    const after: Fingerprint = { ...before, intruder: { present: true, rows: 1, contentHash: 'z' } };
    expect(compareFingerprints(before, after).differences).toEqual(['table intruder appeared with 1 rows']);
  });
});
