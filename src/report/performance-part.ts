// What one performance test hands to the report (through vitest's task.meta): any of the
// section's lists, and the facts of the machine it found. The reporter assembles the parts
// of all tests into one section.
import type { Performance, PerformanceFigure, ThrottleFacts, TuningComparison } from './model.ts';

export interface PerformancePart {
  figures?: PerformanceFigure[];
  directIo?: Performance['directIo'];
  tuning?: TuningComparison[];
  space?: Performance['space'];
  blockIo?: Performance['blockIo'];
  throttle?: ThrottleFacts;
  machine?: Partial<Performance['machine']>;
  notes?: string[];
}
