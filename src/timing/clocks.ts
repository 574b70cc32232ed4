// Which clock a figure was read from. A duration is one clock read twice: the harness's own
// around what it can observe, or one the host and its containers share. Never the engine's
// timestamp minus the harness's: the engine stamps a container's start after its process runs
// (a first log line is often stamped before State.StartedAt) and takes its exit time from
// containerd (State.FinishedAt can come before StartedAt for a server that refuses at once).
export const CLOCKS = ['harness', 'kernel-uptime'] as const;
export type ClockName = (typeof CLOCKS)[number];

export interface ClockDefinition {
  reads: string;
  /** The smallest step it can tell apart: a figure below it is reported as "below", never as 0. */
  resolutionMs: number;
}

export const CLOCK_DEFINITIONS: Record<ClockName, ClockDefinition> = {
  harness: {
    reads:
      "This machine's monotonic clock as the harness reads it (performance.now), once when the operation is asked for and once when its answer arrives: immune to the wall clock being set, and it includes the engine API's round trip.",
    resolutionMs: 0.1,
  },
  'kernel-uptime': {
    reads:
      "The kernel's uptime (/proc/uptime), which this machine and its containers share: the moment a line was written, read inside the container that wrote it, against the moment it was seen, read where it was seen.",
    resolutionMs: 10,
  },
};

/** Samples of one named duration, all read from one clock. */
export interface Measured {
  clock: ClockName;
  ms: number[];
}

/** Named samples all read from one clock. */
export function onClock(clock: ClockName, samples: Record<string, number[]>): Record<string, Measured> {
  return Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, { clock, ms }]));
}
