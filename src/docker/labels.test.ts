// Cleanup finds what a run made by its label and nothing else: the labels, the filter that
// selects them, and run ids the config accepts.
import { describe, expect, test } from 'vitest';
import { RUN_ID_PATTERN } from '../config.ts';
import { newRunId, RUN_LABEL, runLabelFilter, runLabels } from './labels.ts';

describe('run labels', () => {
  test('every resource of a run carries its run id and purpose; the filter selects one run or every run', () => {
    expect(runLabels('20261202-081722-oulo', 'initialised-copy')).toEqual({
      'persistence-harness.run': '20261202-081722-oulo',
      'persistence-harness.purpose': 'initialised-copy',
    });
    expect(runLabelFilter('20261202-081722-oulo')).toBe(`${RUN_LABEL}=20261202-081722-oulo`);
    // Without a run id, every run's resources (persist clean), never anything unlabelled.
    expect(runLabelFilter()).toBe(RUN_LABEL);
  });

  test('a run id is the UTC time and four random characters, and the config accepts it', () => {
    const id = newRunId(new Date('2026-12-02T08:17:22.123Z'));
    expect(id).toMatch(/^20261202-081722-[a-z0-9]{4}$/);
    expect(RUN_ID_PATTERN.test(id)).toBe(true);
    // Two runs started in the same second still differ (almost always: 36^4 choices).
    const ids = new Set(Array.from({ length: 50 }, () => newRunId(new Date('2026-12-02T08:17:22Z'))));
    expect(ids.size).toBeGreaterThan(45);
  });
});
