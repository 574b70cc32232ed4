// `persist report --merge`: the reports of one run's shards (`persist run --shard K/N` in N CI
// jobs) as one report: one verdict over every cell, each control counted once, and each
// shard's own run and environment kept beside it.
import { UsageError } from '../errors.ts';
import { type ControlResult, type RunReport, type ShardRun, summarise } from './model.ts';

export interface ShardReport {
  file: string;
  report: RunReport;
}

export function mergeShardReports(parts: readonly ShardReport[], runId: string): RunReport {
  const shards = checkedShards(parts);
  const count = shards[0]!.report.shard!.count;
  const reports = shards.map((part) => part.report);
  const results = reports.flatMap((report) => report.results);
  refuseRepeats(shards);
  const controls = onceEach(reports.flatMap((report) => report.controls));
  const ran = new Set(reports.map((report) => report.shard!.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !ran.has(index));
  const performance = reports.filter((report) => report.performance);
  if (performance.length > 1) {
    throw new UsageError('More than one of these reports has performance figures.', 'Merge the shards of one run: its performance scenario runs in one shard.');
  }
  const startedAt = reports.map((report) => report.startedAt).sort()[0]!;
  const finishedAt = reports
    .map((report) => report.finishedAt)
    .sort()
    .at(-1)!;
  const first = reports[0]!;
  return {
    schemaVersion: first.schemaVersion,
    kind: 'run',
    runId,
    startedAt,
    finishedAt,
    // Each shard timed itself on its own machine's clock; the span from one machine's start to
    // another's finish would set two clocks against each other. Shards run side by side: the
    // merged run took as long as its longest shard.
    durationMs: Math.max(...reports.map((report) => report.durationMs)),
    tool: first.tool,
    settings: first.settings,
    environment: first.environment,
    phaseDefinitions: first.phaseDefinitions,
    phaseClocks: first.phaseClocks,
    clocks: first.clocks,
    summary: summarise(results, controls),
    results,
    controls,
    harnessErrors: [
      ...missing.map((index) => `shard ${index} of ${count} is missing from the merge: its cells did not run`),
      ...reports.flatMap((report) => report.harnessErrors.map((error) => `shard ${report.shard!.index}/${count}: ${error}`)),
    ],
    ...(performance[0]?.performance ? { performance: performance[0].performance } : {}),
    tests: reports.flatMap((report) => report.tests ?? []),
    shards: shards.map(shardRun),
  };
}

/** Shard reports of one run, in shard order; anything else is one sentence. */
function checkedShards(parts: readonly ShardReport[]): ShardReport[] {
  if (parts.length === 0)
    throw new UsageError('--merge needs the shard reports to merge.', 'Use `persist report --merge shard-1/report.json shard-2/report.json …`.');
  for (const { file, report } of parts) {
    if (!report.shard) throw new UsageError(`${file} is not the report of a shard.`, 'Merge the reports of `persist run --shard K/N` runs.');
  }
  const [first, ...others] = parts;
  const sameRun = (report: RunReport) =>
    report.shard!.count === first!.report.shard!.count && JSON.stringify(report.settings) === JSON.stringify(first!.report.settings);
  const stranger = others.find((part) => !sameRun(part.report));
  if (stranger) {
    throw new UsageError(
      `${stranger.file} is not a shard of the same run as ${first!.file} (another shard count, scenarios, trials or image set).`,
      'Merge the shards of one run, all run with the same --shard N and options.',
    );
  }
  const byIndex = [...parts].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  const twice = byIndex.find((part, i) => i > 0 && byIndex[i - 1]!.report.shard!.index === part.report.shard!.index);
  if (twice) throw new UsageError(`Shard ${twice.report.shard!.index} is given twice (${twice.file}).`, 'Give each shard report once.');
  return byIndex;
}

/** A cell in two shards means the shards were cut from different lists of tests. */
function refuseRepeats(parts: readonly ShardReport[]): void {
  const seen = new Map<string, string>();
  for (const { file, report } of parts) {
    for (const result of report.results) {
      const other = seen.get(result.id);
      if (other) throw new UsageError(`The cell ${result.id} is in both ${other} and ${file}.`, 'Merge the shards of one run, cut from the same scenarios.');
      seen.set(result.id, file);
    }
  }
}

/** Each control once; where two reports disagree, the one that was not caught (a merge never hides a blind check). */
function onceEach(controls: readonly ControlResult[]): ControlResult[] {
  const byId = new Map<string, ControlResult>();
  for (const control of controls) {
    const kept = byId.get(control.id);
    if (!kept || (kept.caught && !control.caught)) byId.set(control.id, control);
  }
  return [...byId.values()];
}

function shardRun({ file, report }: ShardReport): ShardRun {
  return {
    file,
    index: report.shard!.index,
    count: report.shard!.count,
    runId: report.runId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: report.durationMs,
    settings: report.settings,
    environment: report.environment,
    summary: report.summary,
    harnessErrors: report.harnessErrors.length,
  };
}
