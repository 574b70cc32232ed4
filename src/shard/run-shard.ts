// `persist run --shard K/N`: vitest collects every test of the chosen scenario files (running
// their top level only, no test), every job cuts the same plan from that list, and this job
// runs its own part by the tests' full names. The report says which part it was.
import { relative } from 'node:path';
import type { TestSpecification, Vitest } from 'vitest/node';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { RunReport, ShardFacts } from '../report/model.ts';
import { PersistReporter } from '../vitest/persist-reporter.ts';
import { baselineWeights, type CollectedTest, type Shard, planShards, unitsOf } from './shard-plan.ts';

interface Located extends CollectedTest {
  moduleId: string;
}

export interface ShardRunOptions {
  shard: Shard;
  /** A previous report: its test durations balance the shards. */
  baseline: RunReport | undefined;
  root: string;
  /** The run's report: told which part this is, and written even when this part is empty. */
  reporter: PersistReporter;
}

/** Runs this job's part of the files' tests on a vitest made for the run (the caller closes it). */
export async function runShard(vitest: Vitest, files: string[], options: ShardRunOptions): Promise<void> {
  // Reporters are set up by start(); a run of chosen specifications sets them up here.
  await vitest.standalone();
  const specifications = await vitest.getRelevantTestSpecifications(files);
  const collected = await collectTests(vitest, specifications, options.root);
  const weights = options.baseline ? baselineWeights(options.baseline) : () => 1;
  const mine = planShards(unitsOf(collected, weights), options.shard.count)[options.shard.index - 1] as Located[];
  const facts: ShardFacts = {
    index: options.shard.index,
    count: options.shard.count,
    balancedBy: options.baseline ? 'baseline' : 'count',
    ...(options.baseline ? { baselineRunId: options.baseline.runId } : {}),
    tests: mine.length,
    ofTests: collected.length,
  };
  options.reporter.useShard(facts);
  const balance = options.baseline ? `balanced by the durations in run ${options.baseline.runId}` : 'balanced by count';
  progress(`shard ${facts.index}/${facts.count}: ${mine.length} of ${collected.length} tests, ${balance}`);
  if (mine.length === 0) {
    // Nothing to run, but the job still leaves a report, so the merge can tell it ran.
    await options.reporter.onTestRunEnd([], []);
    return;
  }
  await vitest.runTestSpecifications(specificationsFor(mine, specifications), false);
}

/** Every test the files hold, in vitest's order; a file that cannot be collected stops the run. */
async function collectTests(vitest: Vitest, specifications: TestSpecification[], root: string): Promise<Located[]> {
  const { testModules, unhandledErrors } = await vitest.collectTests(specifications);
  const broken = testModules.find((module) => module.errors().length > 0);
  if (broken || unhandledErrors.length > 0) {
    const message = broken?.errors()[0]?.message ?? String((unhandledErrors[0] as { message?: string })?.message ?? unhandledErrors[0]);
    throw new HarnessError(`The scenarios could not be listed to cut the shards (${message}).`, 'Run them without --shard to see the error in full.');
  }
  return testModules.flatMap((module) =>
    [...module.children.allTests()].map((test) => ({ file: relative(root, module.moduleId), name: test.fullName, moduleId: module.moduleId })),
  );
}

/** One specification per file this shard runs, naming its tests. */
function specificationsFor(tests: readonly Located[], specifications: TestSpecification[]): TestSpecification[] {
  const byModule = new Map<string, Located[]>();
  for (const test of tests) byModule.set(test.moduleId, [...(byModule.get(test.moduleId) ?? []), test]);
  return [...byModule].map(([moduleId, moduleTests]) => {
    const specification = specifications.find((candidate) => candidate.moduleId === moduleId)!;
    return specification.project.createSpecification(moduleId, { testNames: moduleTests.map((test) => test.name) });
  });
}
