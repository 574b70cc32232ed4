// Everything the harness creates carries RUN_LABEL; cleanup selects by it and nothing else,
// so a user's own containers, volumes and networks are never touched.
import { wallClock } from '../timing/clock.ts';
export const RUN_LABEL = 'persistence-harness.run';
export const PURPOSE_LABEL = 'persistence-harness.purpose';

export function runLabels(runId: string, purpose: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [PURPOSE_LABEL]: purpose };
}

/** A Docker API label filter: every run's resources, or one run's. */
export function runLabelFilter(runId?: string): string {
  return runId === undefined ? RUN_LABEL : `${RUN_LABEL}=${runId}`;
}

export function newRunId(now: Date = wallClock()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase();
  const random = Math.random().toString(36).slice(2, 6).padEnd(4, '0');
  return `${stamp}-${random}`;
}
