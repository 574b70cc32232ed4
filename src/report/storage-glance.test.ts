import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import type { CellResult, RunReport } from './model.ts';
import { describeGlanceCell, describeRecovery, glanceRecovery, storageGlance } from './storage-glance.ts';

const report = sample as RunReport;

describe('storageGlance', () => {
  test('the persistence matrix gives restart and recreate per storage type; controls do not count', () => {
    const glance = storageGlance(report);
    expect(glance.get('named-volume')?.get('survives a restart')).toEqual({ holds: 1, observed: 1 });
    // The wrong-mount-path control lost a named volume's data on purpose: it is left out.
    expect(glance.get('named-volume')?.get('survives a recreate')).toEqual({ holds: 1, observed: 1 });
    expect(glance.get('tmpfs')?.get('survives a recreate')).toEqual({ holds: 0, observed: 1 });
    expect(glance.get('container-layer')?.get('survives a restart')).toEqual({ holds: 1, observed: 1 });
  });

  test('checked items speak to the properties they show', () => {
    const tmpfs = structuredClone(report.results[0]!) as CellResult;
    Object.assign(tmpfs, {
      storage: 'tmpfs',
      disruption: 'restart',
      items: [
        { item: 'kept off disk', expected: 'absent', observed: 'absent' },
        { item: 'after a stop and start', expected: 'lost', observed: 'lost' },
      ],
    });
    const glance = storageGlance({ results: [tmpfs] });
    expect(glance.get('tmpfs')?.get('kept off disk')).toEqual({ holds: 1, observed: 1 });
    expect(glance.get('tmpfs')?.get('survives a restart')).toEqual({ holds: 0, observed: 1 });
    expect(glance.get('tmpfs')?.has('visible on the host')).toBe(false);
  });

  test('cells say yes, no, mixed, or unknown', () => {
    expect(describeGlanceCell({ holds: 3, observed: 3 })).toBe('yes (3)');
    expect(describeGlanceCell({ holds: 0, observed: 2 })).toBe('no (2)');
    expect(describeGlanceCell({ holds: 1, observed: 2 })).toBe('mixed: 1 of 2');
    expect(describeGlanceCell(undefined)).toBe('—');
  });
});

describe('recovery at a glance', () => {
  /** A named-volume restart cell of the sample with these trials' recovery times. */
  function cell(id: string, recoveries: Array<number | null>): CellResult {
    const base = structuredClone(report.results[0]!) as CellResult;
    return {
      ...base,
      id,
      storage: 'named-volume',
      disruption: 'restart',
      timings: { perTrial: recoveries.map((recoveryMs, index) => ({ trial: index + 1, phasesMs: {}, recoveryMs })), summary: {} },
    };
  }

  test('pools every trial of every cell of a storage and disruption, whatever the service; untimed trials do not count', () => {
    const recovery = glanceRecovery({
      results: [cell('postgres', [1000, 3000]), cell('mysql', [2000, null]), { ...cell('redis', [9000]), disruption: 'recreate' }],
    });
    expect(recovery.get('named-volume')?.restart).toMatchObject({ trials: 3, medianMs: 2000, minMs: 1000, maxMs: 3000 });
    expect(recovery.get('named-volume')?.recreate).toMatchObject({ trials: 1, medianMs: 9000 });
    expect(recovery.has('tmpfs')).toBe(false);
  });

  test('is said as the median and its range', () => {
    const format = (ms: number) => `${ms} ms`;
    expect(describeRecovery({ trials: 3, medianMs: 2000, minMs: 1000, maxMs: 3000 }, format)).toBe('2000 ms (1000 ms–3000 ms, 3 trials)');
    expect(describeRecovery({ trials: 1, medianMs: 900, minMs: 900, maxMs: 900 }, format)).toBe('900 ms (1 trial)');
    expect(describeRecovery(undefined, format)).toBe('—');
  });
});
