// What every format says about shards: a shard's report names its part of the run; a merged
// report lists each shard's run and the environment it ran in, and says when they differ.
import type { RunReport, ShardRun } from '../model.ts';

/** One sentence for a shard's own report, or undefined for any other report. */
export function shardSentence(report: Pick<RunReport, 'shard'>): string | undefined {
  const { shard } = report;
  if (!shard) return undefined;
  const balance = shard.balancedBy === 'baseline' ? `balanced by the test durations of run ${shard.baselineRunId ?? 'the baseline'}` : 'balanced by count';
  return `Shard ${shard.index} of ${shard.count}: ${shard.tests} of the ${shard.ofTests} tests of these scenarios, ${balance}; merge the shards with \`persist report --merge\`.`;
}

export const SHARD_COLUMNS = ['Shard', 'Run', 'Took', 'Results', 'Controls caught', 'Harness errors', 'Engine', 'Node', 'RunReport'] as const;

export function shardRow(shard: ShardRun): string[] {
  const engine = shard.environment.engine;
  const s = shard.summary;
  return [
    `${shard.index}/${shard.count}`,
    shard.runId,
    `${(shard.durationMs / 1000).toFixed(1)} s`,
    `${s.passed} passed, ${s.failed} failed, ${s.errored} errored of ${s.total}`,
    `${s.controlsCaught}/${s.controls}`,
    String(shard.harnessErrors),
    engine ? `Docker ${engine.version}, ${engine.storageDriver}, ${engine.operatingSystem}` : 'not reachable',
    `${shard.environment.node} (${shard.environment.platform})`,
    shard.file,
  ];
}

/** Shards that ran on different engines or images are still merged; timings across them compare machines too. */
export function shardEnvironmentNote(shards: readonly ShardRun[]): string {
  const environments = new Set(shards.map((shard) => JSON.stringify({ engine: shard.environment.engine, images: shard.environment.images })));
  const machineTime = shards.reduce((sum, shard) => sum + shard.durationMs, 0);
  const longest = Math.max(...shards.map((shard) => shard.durationMs));
  const spread = `The shards ran for ${(machineTime / 1000).toFixed(1)} s in all, the longest for ${(longest / 1000).toFixed(1)} s, each timed by its own machine's clock.`;
  return environments.size > 1
    ? `${spread} The shards did not all run on the same engine and images: a recovery time in one shard and one in another also compare their machines. The environment above is shard ${shards[0]?.index}'s.`
    : `${spread} Every shard ran on the same engine version and images.`;
}
