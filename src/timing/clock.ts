// The only module that reads the clock. Every phase a report shows is timed here, every wait has
// its deadline here, and every pause goes through sleep(): what a duration measures is decided
// in one place, and a test can see that no other module reads the time.
import type { ClockName, Measured } from './clocks.ts';
import type { Phase } from './phases.ts';

/** A duration in ms to a tenth of a ms: what every report shows. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export interface Stopwatch {
  /** Milliseconds since the stopwatch started, to a tenth. */
  ms(): number;
}

/** Starts timing now (a monotonic clock: immune to the wall clock being set). */
export function stopwatch(): Stopwatch {
  const started = performance.now();
  return { ms: () => round(performance.now() - started) };
}

export interface Deadline {
  passed(): boolean;
  /** What is left of it, 0 once it has passed. */
  remainingMs(): number;
}

export function deadlineIn(ms: number): Deadline {
  const end = performance.now() + ms;
  return { passed: () => performance.now() > end, remainingMs: () => Math.max(0, end - performance.now()) };
}

/**
 * A moment on the harness's monotonic clock, in ms: to set beside another such moment of this
 * process (when a write was acknowledged against when the backup began), never beside a time
 * from the engine, a container or a file.
 */
export function harnessNowMs(): number {
  return performance.now();
}

/** The wall clock in ms since the epoch: for the engine's event filters, run ids and file ages, never for durations. */
export function epochMs(): number {
  return Date.now();
}

export function wallClock(): Date {
  return new Date();
}

/** The promise's outcome, or an error with `reason` once `ms` have passed. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface QuietTimer {
  /** Waits anew, `ms` from now. */
  rearm(ms: number): void;
  cancel(): void;
}

/** Calls onQuiet once `ms` pass without a rearm: the end of a stream that has no end marker. */
export function quietTimer(ms: number, onQuiet: () => void): QuietTimer {
  let timer = setTimeout(onQuiet, ms);
  return {
    rearm: (next) => {
      clearTimeout(timer);
      timer = setTimeout(onQuiet, next);
    },
    cancel: () => clearTimeout(timer),
  };
}

/**
 * A trial's phases: each operation timed into the phase it belongs to. A phase timed twice adds
 * up (a stop followed by the container's removal is one "stop"); named measurements beside
 * the phases keep every sample, each with the clock it was read from.
 */
export class PhaseTimer {
  readonly phasesMs: Partial<Record<Phase, number>> = {};
  readonly measurements: Record<string, Measured> = {};

  /** Times a completed operation into the phase; one that throws measured nothing. */
  async time<T>(phase: Phase, operation: () => Promise<T>): Promise<T> {
    const watch = stopwatch();
    const result = await operation();
    this.add(phase, watch.ms());
    return result;
  }

  add(phase: Phase, ms: number): void {
    this.phasesMs[phase] = round((this.phasesMs[phase] ?? 0) + ms);
  }

  /** Times a completed operation on the harness's clock as a sample of the named measurement. */
  async measure<T>(name: string, operation: () => Promise<T>): Promise<T> {
    const watch = stopwatch();
    const result = await operation();
    this.record(name, 'harness', watch.ms());
    return result;
  }

  /** A sample read elsewhere; a measurement keeps one clock, so another one is a harness bug. */
  record(name: string, clock: ClockName, ms: number): void {
    const known = this.measurements[name];
    if (known && known.clock !== clock) throw new Error(`the measurement "${name}" is read from the ${known.clock} clock, not the ${clock} clock`);
    this.measurements[name] = { clock, ms: [...(known?.ms ?? []), ms] };
  }
}
