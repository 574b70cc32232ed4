import { describe, expect, test } from 'vitest';
import { generatedReadings, seedEmployees, standardDataset } from './dataset.ts';

describe('datasets', () => {
  test('the generated table is the same on every call', () => {
    expect(generatedReadings(500)).toEqual(generatedReadings(500));
  });

  test('another seed gives other rows', () => {
    expect(generatedReadings(50, 1).rows).not.toEqual(generatedReadings(50, 2).rows);
  });

  test('the standard dataset has the seed employees and at least 10,000 generated rows', () => {
    const dataset = standardDataset();
    expect(dataset.tables[0]).toEqual(seedEmployees());
    expect(dataset.tables[1]?.rows.length).toBeGreaterThanOrEqual(10_000);
  });

  test('every row has a value for every column and ids run from 1', () => {
    const table = generatedReadings(100);
    table.rows.forEach((row, index) => {
      expect(row).toHaveLength(table.columns.length);
      expect(row[0]).toBe(index + 1);
    });
  });
});
