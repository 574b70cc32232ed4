// The report's performance section from the parts each test recorded: lists joined in a fixed
// order (metric, then storage type), the machine's facts merged, and the claims derived.
import type { BenchSize } from '../config.ts';
import type { Performance } from '../report/model.ts';
import { STORAGE_KINDS } from '../storage/placement.ts';
import { claimsOf } from './claims.ts';
import { METRICS } from './metrics.ts';
import type { PerformancePart } from '../report/performance-part.ts';
import { BENCH_PROFILES, describeProfile } from './sizes.ts';

const METRIC_ORDER = Object.values(METRICS).map((metric) => metric.id);
const byStorage = <T extends { storage: (typeof STORAGE_KINDS)[number] }>(a: T, b: T) => STORAGE_KINDS.indexOf(a.storage) - STORAGE_KINDS.indexOf(b.storage);

const NO_MACHINE: Performance['machine'] = {
  engineVersion: null,
  storageDriver: null,
  kernel: null,
  cgroup: null,
  dataRoot: null,
  filesystem: null,
  device: null,
  rotational: null,
};

export function assemblePerformance(parts: PerformancePart[], settings: { size: BenchSize; trials: number }): Performance {
  const all = <T>(pick: (part: PerformancePart) => T[] | undefined): T[] => parts.flatMap((part) => pick(part) ?? []);
  const machine = Object.assign({ ...NO_MACHINE }, ...parts.map((part) => part.machine ?? {})) as Performance['machine'];
  const figures = all((part) => part.figures).sort((a, b) => METRIC_ORDER.indexOf(a.metric) - METRIC_ORDER.indexOf(b.metric) || byStorage(a, b));
  const tuning = all((part) => part.tuning);
  return {
    size: settings.size,
    trials: settings.trials,
    machine,
    figures,
    directIo: all((part) => part.directIo).sort(byStorage),
    tuning,
    space: all((part) => part.space).sort(byStorage),
    blockIo: all((part) => part.blockIo).sort(byStorage),
    throttle: parts.find((part) => part.throttle)?.throttle ?? null,
    claims: claimsOf(figures, tuning, machine),
    notes: [
      `${settings.trials} trial(s) per figure at the ${settings.size} size: ${describeProfile(BENCH_PROFILES[settings.size])}.`,
      'Every trial starts a new container on new storage: a new named volume, a new host folder (bind mount), a tmpfs of 1 GiB, or no mount with the data directory moved outside every VOLUME the image declares (the writable layer); the mounts are checked against what the engine reports.',
      ...all((part) => part.notes),
    ],
  };
}
