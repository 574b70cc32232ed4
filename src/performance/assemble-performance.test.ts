import { describe, expect, test } from 'vitest';
import type { PerformanceFigure } from '../report/model.ts';
import { assemblePerformance } from './assemble-performance.ts';
import { formatRatio } from './claims.ts';
import { figuresOf } from './figures.ts';
import { METRICS, type MetricDefinition } from './metrics.ts';

/** One trial's reading of one metric, as a figure. */
function figure(metric: MetricDefinition, storage: PerformanceFigure['storage'], value: number): PerformanceFigure {
  return figuresOf([metric], storage, [{ [metric.id]: value }])[0] as PerformanceFigure;
}

describe("the performance section from the tests' parts", () => {
  const parts = [
    { figures: [figure(METRICS.syncWriteIops, 'tmpfs', 200_000), figure(METRICS.syncWriteIops, 'named-volume', 5_000)] },
    { figures: [figure(METRICS.syncWriteIops, 'container-layer', 4_000), figure(METRICS.syncWriteIops, 'bind-mount', 5_500)] },
    { figures: [figure(METRICS.seqWrite, 'named-volume', 800)], machine: { filesystem: 'ext4', device: '/dev/vda', storageDriver: 'overlay2' } },
  ];

  test('figures in metric order, then storage order; the machine merged from every part', () => {
    const performance = assemblePerformance(parts, { size: 'quick', trials: 1 });
    expect(performance.figures.map((f) => `${f.metric} ${f.storage}`)).toEqual([
      'fio.seq-write named-volume',
      'fio.sync-write-iops named-volume',
      'fio.sync-write-iops bind-mount',
      'fio.sync-write-iops tmpfs',
      'fio.sync-write-iops container-layer',
    ]);
    expect(performance.machine).toMatchObject({ filesystem: 'ext4', device: '/dev/vda', engineVersion: null });
    expect(performance.throttle).toBeNull();
    expect(performance.notes[0]).toContain('1 trial(s) per figure at the quick size');
  });

  test("each of the seed's claims is set beside the measured ratio of medians, worded as measured here", () => {
    const { claims } = assemblePerformance(parts, { size: 'quick', trials: 1 });
    const measured = (start: string) => claims.find((c) => c.seed.startsWith(start))?.measured;
    expect(measured('tmpfs')).toContain('tmpfs ÷ the named volume (medians): 4 KiB synced writes 40×');
    expect(measured('Named volumes')).toContain('named-volume ÷ the writable layer (overlay2) (medians): 4 KiB synced writes 1.25×');
    expect(measured('Bind mounts')).toContain('4 KiB synced writes 1.10×');
    expect(measured('Bind mounts')).toContain('same file system (ext4 on /dev/vda)');
    // No tuning ran: no tuning claim is made up.
    expect(claims.some((c) => c.seed.includes('tuning'))).toBe(false);
  });

  test('a comparison with nothing measured says so instead of a ratio', () => {
    const { claims } = assemblePerformance([], { size: 'full', trials: 3 });
    expect(claims[0]?.measured).toContain('not measured in this run');
  });

  test('ratios: whole numbers from 10×, one decimal from 2×, two below', () => {
    expect([formatRatio(39.4), formatRatio(5.21), formatRatio(1.004), formatRatio(0.857)]).toEqual(['39×', '5.2×', '1.00×', '0.86×']);
  });
});
