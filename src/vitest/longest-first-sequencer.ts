// The order the files start in: within each group and project, the longest first, so files that
// run side by side end together. vitest knows a file's length from its own earlier runs; on a
// first run it has none and starts the largest file first, but a scenario file's size says little
// of its length (rabbitmq.test.ts is one of the smallest and the longest), so a scenario's typical
// length stands in where vitest has none.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SCENARIOS } from '../scenarios.ts';

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return orderLongestFirst(sorted, (spec) => this.lengthMs(spec), blockOf);
  }

  /** The file's length: its duration in vitest's cache, or its scenario's typical length. */
  private lengthMs(spec: TestSpecification): number | undefined {
    const cached = this.ctx.cache.getTestSpecificationResult(spec)?.duration;
    if (cached !== undefined && cached > 0) return cached;
    const scenario = SCENARIOS.find((candidate) => spec.moduleId.endsWith(`/${candidate.file}`));
    return scenario ? scenario.typicalSeconds * 1000 : undefined;
  }
}

/** The files vitest runs as one block, in its order: one project in one group. */
const blockOf = (spec: TestSpecification) => `${spec.project.config.sequence.groupOrder} ${spec.project.name}`;

/**
 * Within each run of consecutive items of one block: those of unknown length first, in the order
 * given, then the rest longest first. Blocks keep their places.
 */
export function orderLongestFirst<T>(items: readonly T[], lengthOf: (item: T) => number | undefined, blockKey: (item: T) => string): T[] {
  const blocks: T[][] = [];
  for (const item of items) {
    const last = blocks.at(-1);
    if (last && blockKey(last[0] as T) === blockKey(item)) last.push(item);
    else blocks.push([item]);
  }
  return blocks.flatMap((block) => {
    const unknown = block.filter((item) => lengthOf(item) === undefined);
    const known = block.filter((item) => lengthOf(item) !== undefined).sort((a, b) => (lengthOf(b) as number) - (lengthOf(a) as number));
    return [...unknown, ...known];
  });
}
