import { describe, expect, test } from 'vitest';
import { SCENARIOS } from '../scenarios.ts';
import { ALONE_PROJECT, isScenarioProject, runProjects, SCENARIOS_PROJECT } from './scenarios-project.ts';

describe("persist run's projects", () => {
  test('the scenarios as many files at once as asked, then the power cuts and the benchmarks alone, after them', () => {
    const together = SCENARIOS.filter((s) => !s.alone).map((s) => s.file);
    const alone = SCENARIOS.filter((s) => s.alone).map((s) => s.file);
    expect(alone).toEqual(['scenarios/power-loss.test.ts', 'scenarios/performance.test.ts']);
    const [first, second] = runProjects({ together, alone }, 2).map((project) => project.test);
    expect(first).toMatchObject({ name: SCENARIOS_PROJECT, include: together, maxWorkers: 2 });
    expect(second).toMatchObject({ name: ALONE_PROJECT, include: alone, maxWorkers: 1, sequence: { groupOrder: 2 } });
    expect((first?.sequence.groupOrder ?? 0) < (second?.sequence.groupOrder ?? 0)).toBe(true);
  });

  test('a run of the benchmarks alone, or of none of them, has only the group it needs; both count in the report', () => {
    expect(runProjects({ together: [], alone: ['scenarios/performance.test.ts'] }, 2).map((p) => p.test.name)).toEqual([ALONE_PROJECT]);
    expect(runProjects({ together: ['scenarios/tmpfs.test.ts'], alone: [] }, 1).map((p) => p.test.name)).toEqual([SCENARIOS_PROJECT]);
    expect([SCENARIOS_PROJECT, ALONE_PROJECT].every(isScenarioProject)).toBe(true);
    expect(isScenarioProject('unit')).toBe(false);
  });
});
