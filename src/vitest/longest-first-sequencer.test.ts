import { describe, expect, test } from 'vitest';
import { orderLongestFirst } from './longest-first-sequencer.ts';

interface File {
  name: string;
  block: string;
  ms?: number;
}
const order = (files: File[]) =>
  orderLongestFirst(
    files,
    (f) => f.ms,
    (f) => f.block,
  ).map((f) => f.name);

describe('the longest file starts first', () => {
  test('within a block the longest first, files of unknown length before them in the order given', () => {
    const files: File[] = [
      { name: 'volumes', block: 'scenarios', ms: 1_000 },
      { name: 'check', block: 'cli' },
      { name: 'audit', block: 'cli' },
      { name: 'tmpfs', block: 'scenarios', ms: 10_000 },
      { name: 'rabbitmq', block: 'scenarios', ms: 423_000 },
      { name: 'backup', block: 'scenarios', ms: 387_000 },
    ];
    // The blocks as vitest ordered them would be contiguous; here they are not, and each run keeps its place.
    expect(order(files)).toEqual(['volumes', 'check', 'audit', 'rabbitmq', 'backup', 'tmpfs']);
  });

  test('blocks keep their order: a later group never starts before an earlier one', () => {
    const files: File[] = [
      { name: 'unit-a', block: '0 unit', ms: 5 },
      { name: 'unit-b', block: '0 unit', ms: 50 },
      { name: 'short', block: '1 scenarios', ms: 1 },
      { name: 'long', block: '1 scenarios', ms: 100 },
      { name: 'performance', block: '2 scenarios-alone', ms: 185_000 },
    ];
    expect(order(files)).toEqual(['unit-b', 'unit-a', 'long', 'short', 'performance']);
  });
});
