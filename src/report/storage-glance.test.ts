import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import type { CellResult, Report } from './model.ts';
import { describeGlanceCell, storageGlance } from './storage-glance.ts';

const report = sample as Report;

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
