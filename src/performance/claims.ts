// The seed's performance claims set beside what this run measured: its table ("named volumes:
// good", "bind mounts: varies by OS", "tmpfs: excellent") and its tuning flags. Each is worded
// as a measurement on this machine, never as a general truth.
import { seedTunings } from './tunings.ts';
import type { Performance, PerformanceFigure, TuningComparison } from '../report/model.ts';
import type { StorageKind } from '../storage/placement.ts';
import { METRICS, type MetricDefinition } from './metrics.ts';

type Claim = Performance['claims'][number];

function medianOf(figures: PerformanceFigure[], metric: MetricDefinition, storage: StorageKind): number | undefined {
  return figures.find((figure) => figure.metric === metric.id && figure.storage === storage)?.median;
}

export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(ratio >= 1.95 ? 1 : 2)}×`;
}

/** "4 KiB synced writes 2.1×", for each throughput metric both storage types have. */
function ratios(figures: PerformanceFigure[], storage: StorageKind, against: StorageKind): string[] {
  const compared: Array<[string, MetricDefinition]> = [
    ['4 KiB synced writes', METRICS.syncWriteIops],
    ['sequential writes', METRICS.seqWrite],
    ['4 KiB random reads', METRICS.randReadIops],
    ['pgbench TPS', METRICS.pgbenchTps],
    ['sysbench TPS', METRICS.sysbenchTps],
  ];
  return compared.flatMap(([name, metric]) => {
    const mine = medianOf(figures, metric, storage);
    const theirs = medianOf(figures, metric, against);
    if (mine === undefined || theirs === undefined || theirs === 0) return [];
    return [`${name} ${formatRatio(mine / theirs)}`];
  });
}

/** "tmpfs ÷ the named volume (medians): 4 KiB synced writes 39×, …". */
function compared(figures: PerformanceFigure[], storage: StorageKind, against: StorageKind, againstName: string): string {
  const parts = ratios(figures, storage, against);
  return parts.length > 0 ? `${storage} ÷ ${againstName} (medians): ${parts.join(', ')}` : `${storage} against ${againstName}: not measured in this run`;
}

function tuningClaim(seed: string, tuning: TuningComparison | undefined): Claim[] {
  return tuning ? [{ seed, measured: tuning.finding }] : [];
}

export function claimsOf(figures: PerformanceFigure[], tuning: TuningComparison[], machine: Performance['machine']): Claim[] {
  const under = [machine.filesystem, machine.device ? `on ${machine.device}` : undefined].filter(Boolean).join(' ');
  const layer = `the writable layer (${machine.storageDriver ?? 'the storage driver'})`;
  return [
    { seed: 'Named volumes: performance "Good"', measured: compared(figures, 'named-volume', 'container-layer', layer) },
    {
      seed: 'Bind mounts: performance "Varies by OS"',
      measured: `${compared(figures, 'bind-mount', 'named-volume', 'the named volume')}. On this Linux engine both are directories on the same file system${under ? ` (${under})` : ''}; the variation the seed means is Docker Desktop's file sharing on macOS and Windows, which this machine does not have.`,
    },
    { seed: 'tmpfs: performance "Excellent"', measured: `${compared(figures, 'tmpfs', 'named-volume', 'the named volume')}; memory, gone at the next stop` },
    ...seedTunings().flatMap(({ advice }) =>
      tuningClaim(
        advice.claim,
        tuning.find((t) => t.id === advice.id),
      ),
    ),
  ];
}
