import { describe, expect, test } from 'vitest';
import sample from '../report/fixtures/sample-report.json' with { type: 'json' };
import { summarise, type RunReport } from '../report/model.ts';
import { renderHtml } from '../report/render/html.ts';
import { renderMarkdown } from '../report/render/markdown.ts';
import { reportProblems } from '../report/validate.ts';
import { PhaseTimer } from '../timing/clock.ts';
import { assembleResult, itemsRecord } from './assemble.ts';

const base = sample as RunReport;

/** A one-result run report around the cell, as the reporter writes it. */
function reportOf(cell: RunReport['results'][number]): RunReport {
  return { ...structuredClone(base), results: [cell], controls: [], summary: summarise([cell], []) };
}

// What the engine really gives for a server that refuses its data at once (read off Docker 28
// here): FinishedAt from containerd, StartedAt stamped after the process ran, so either order.
const REFUSALS = [
  { case: 'FinishedAt 2 ms before StartedAt', startedAt: '2026-12-07T17:29:37.881763026Z', finishedAt: '2026-12-07T17:29:37.879763026Z' },
  { case: 'FinishedAt equal to StartedAt', startedAt: '2026-12-07T17:29:37.881763026Z', finishedAt: '2026-12-07T17:29:37.881763026Z' },
  { case: 'whole seconds', startedAt: '2026-12-07T17:29:37Z', finishedAt: '2026-12-07T17:29:38Z' },
  { case: 'the zero time of a container that never ran', startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' },
];

describe("a cell's named measurements, each with its clock", () => {
  test.each(REFUSALS)("a refused upgrade ($case): the harness's own clock around the engine's wait, never the engine's two times", (engine) => {
    const timer = new PhaseTimer();
    timer.record('in place: from the start until the server exited', 'harness', 212.4);
    const record = itemsRecord({
      trial: 1,
      items: [],
      observed: 'lost',
      measurements: timer.measurements,
      imageId: 'sha256:x',
      serverVersion: 'x',
      evidence: [`started ${engine.startedAt}, finished ${engine.finishedAt}`],
    });
    const cell = assembleResult(
      {
        id: 'postgres/named-volume/upgrade/x',
        scenario: 'upgrade',
        title: 'x',
        target: 'postgres',
        storage: 'named-volume',
        disruption: 'upgrade',
        expected: 'lost',
      },
      'postgres:17',
      [record],
      undefined,
    );
    expect(cell.measurements).toEqual({
      'in place: from the start until the server exited': { trials: 1, medianMs: 212.4, minMs: 212.4, maxMs: 212.4, clock: 'harness' },
    });
    expect(reportProblems(reportOf(cell))).toEqual([]);
  });

  test("a delay below the clock's resolution is written as below it, and every format names the clock", () => {
    const record = itemsRecord({
      trial: 1,
      items: [],
      observed: 'survives',
      measurements: { 'producer write → consumer sees it': { clock: 'kernel-uptime', ms: [0, 0, 10] }, 'graceful stop': { clock: 'harness', ms: [120.5] } },
      imageId: 'sha256:x',
      serverVersion: 'x',
      evidence: [],
    });
    const cell = assembleResult(
      {
        id: 'toolbox/named-volume/none/shared',
        scenario: 'shared',
        title: 'x',
        target: 'toolbox',
        storage: 'named-volume',
        disruption: 'none',
        expected: 'survives',
      },
      'alpine',
      [record],
      undefined,
    );
    const report = reportOf(cell);
    expect(reportProblems(report)).toEqual([]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| toolbox/named-volume/none/shared | producer write → consumer sees it | 3 | < 10 ms | 10 ms | kernel-uptime |');
    expect(markdown).toContain('| toolbox/named-volume/none/shared | graceful stop | 1 | 121 ms | 121 ms | harness |');
    for (const text of [markdown, renderHtml(report)]) {
      expect(text).toContain('Every duration is one clock read twice');
      expect(text).toMatch(/harness.{0,30}stop, backup, restore, create, ready, verified, recovery/);
    }
  });
});
