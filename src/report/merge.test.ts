import { describe, expect, test } from 'vitest';
import { UsageError } from '../errors.ts';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import { mergeShardReports, type ShardReport } from './merge.ts';
import { exitCodeFor, type RunReport, summarise } from './model.ts';
import { reportProblems } from './validate.ts';
import { renderHtml } from './render/html.ts';
import { renderJunit } from './render/junit.ts';
import { renderMarkdown } from './render/markdown.ts';

const whole = sample as RunReport;

/** The sample run cut in two as `--shard 1/2` and `--shard 2/2` would: its control with the cells before it. */
function shards(): ShardReport[] {
  const cut = (index: number, results: RunReport['results'], controls: RunReport['controls'], startedAt: string, finishedAt: string): ShardReport => ({
    file: `shard-${index}/report.json`,
    report: {
      ...structuredClone(whole),
      runId: `run-${index}`,
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      results,
      controls,
      summary: summarise(results, controls),
      shard: { index, count: 2, balancedBy: 'count', tests: results.length + controls.length, ofTests: 9 },
      environment: { ...whole.environment, node: `v22.${index}` },
    },
  });
  return [
    cut(2, whole.results.slice(4), [], '2026-01-01T10:00:05.000Z', '2026-01-01T10:01:00.000Z'),
    cut(1, whole.results.slice(0, 4), whole.controls, '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:40.000Z'),
  ];
}

describe('mergeShardReports', () => {
  test('the shards of a run merge into its results and verdict, each shard with its own environment', () => {
    const merged = mergeShardReports(shards(), 'merged-run');
    expect(reportProblems(merged)).toEqual([]);
    expect(merged.results.map((r) => r.id).sort()).toEqual(whole.results.map((r) => r.id).sort());
    expect(merged.controls.map((c) => c.id)).toEqual(whole.controls.map((c) => c.id));
    expect(merged.summary).toEqual(whole.summary);
    expect(exitCodeFor(merged)).toBe(exitCodeFor(whole));
    expect(merged.shards?.map((s) => [s.index, s.runId, s.environment.node])).toEqual([
      [1, 'run-1', 'v22.1'],
      [2, 'run-2', 'v22.2'],
    ]);
    // Side by side, the merged run took as long as its longest shard, each timed on its own machine's clock.
    expect([merged.startedAt, merged.finishedAt, merged.durationMs]).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z', 55_000]);
    expect(merged.shard).toBeUndefined();
  });

  test("shards whose machines' clocks disagree: no duration across two clocks, and the report passes its schema", () => {
    const [late, early] = shards();
    // The second machine's clock is two minutes behind: its shard "finished" before the first began.
    late!.report.startedAt = '2026-01-01T09:58:05.000Z';
    late!.report.finishedAt = '2026-01-01T09:59:00.000Z';
    const merged = mergeShardReports([late!, early!], 'merged-run');
    expect(merged.durationMs).toBe(55_000);
    expect(reportProblems(merged)).toEqual([]);
    expect(renderMarkdown(merged)).toContain("the longest for 55.0 s, each timed by its own machine's clock");
  });

  test('a control in two reports counts once, and as not caught when either missed it', () => {
    const [second, first] = shards();
    const blind = { ...whole.controls[0]!, caught: false };
    second!.report.controls = [blind];
    second!.report.results = whole.results.slice(4);
    const merged = mergeShardReports([first!, second!], 'merged-run');
    expect(merged.summary.controls).toBe(1);
    expect(merged.summary.controlsCaught).toBe(0);
    expect(exitCodeFor(merged)).toBe(2);
  });

  test('a missing shard is a harness error in the merged report: its cells never ran', () => {
    const merged = mergeShardReports(shards().slice(1), 'merged-run');
    expect(merged.harnessErrors).toEqual(['shard 2 of 2 is missing from the merge: its cells did not run']);
    expect(exitCodeFor(merged)).toBe(2);
  });

  test('reports that are not shards of one run are refused in one sentence', () => {
    const [second, first] = shards();
    expect(() => mergeShardReports([{ file: 'x.json', report: whole }], 'm')).toThrow(/x.json is not the report of a shard/);
    expect(() => mergeShardReports([first!, first!], 'm')).toThrow(/Shard 1 is given twice/);
    const otherTrials = { ...second!, report: { ...second!.report, settings: { ...whole.settings, trials: 1 } } };
    expect(() => mergeShardReports([first!, otherTrials], 'm')).toThrow(/not a shard of the same run/);
    const overlapping = { ...second!, report: { ...second!.report, results: whole.results.slice(3) } };
    expect(() => mergeShardReports([first!, overlapping], 'm')).toThrow(UsageError);
    expect(() => mergeShardReports([], 'm')).toThrow(/needs the shard reports/);
  });

  test('an empty shard passes on its own; merged, it adds nothing', () => {
    const [second, first] = shards();
    const empty = {
      ...second!,
      report: { ...second!.report, results: [], controls: [], summary: { ...whole.summary, total: 0, passed: 0, controls: 0, controlsCaught: 0 } },
    };
    empty.report.shard = { ...empty.report.shard!, tests: 0 };
    expect(exitCodeFor(empty.report)).toBe(0);
    expect(mergeShardReports([first!, empty], 'm').results).toHaveLength(4);
  });
});

describe('shards in every format', () => {
  test("a merged report lists each shard's run and environment; a shard's own report names its part", () => {
    const merged = mergeShardReports(shards(), 'merged-run');
    const markdown = renderMarkdown(merged);
    expect(markdown).toContain('## Shards');
    expect(markdown).toMatch(/\| 1\/2 \| run-1 \| 40\.0 s \| 4 passed, 0 failed, 0 errored of 4 \| 1\/1 \|.*v22\.1/);
    expect(markdown).toMatch(/\| 2\/2 \| run-2 \| 55\.0 s \|.*v22\.2/);
    expect(renderHtml(merged)).toContain('<section id="shards">');
    expect(renderJunit(merged)).toMatch(/<property name="shard.2" value="2\/2; run-2;/);
    const [second] = shards();
    expect(renderMarkdown(second!.report)).toContain('Shard 2 of 2: 4 of the 9 tests of these scenarios, balanced by count');
    expect(renderJunit(second!.report)).toContain('<property name="shard" value="2/2"/>');
  });
});
