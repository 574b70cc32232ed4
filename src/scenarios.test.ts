import { readdir } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { UsageError } from './errors.ts';
import { SCENARIOS, selectScenarios } from './scenarios.ts';
import { POWER_CUT_FILES } from './vitest/scenarios-project.ts';

describe('scenario catalog', () => {
  test('lists exactly the files in scenarios/', async () => {
    const files = (await readdir(new URL('../scenarios/', import.meta.url))).filter((f) => f.endsWith('.test.ts'));
    expect(SCENARIOS.map((s) => s.file.replace('scenarios/', '')).sort()).toEqual(files.sort());
  });

  test('the files that cut power run alone, in the suite and in persist run', () => {
    const cutting = SCENARIOS.filter((s) => s.needsPowerCuts);
    expect(cutting.map((s) => s.file)).toEqual(POWER_CUT_FILES);
    for (const scenario of cutting) expect(scenario.alone).toBe(true);
  });

  test('no filter selects everything', () => {
    expect(selectScenarios([])).toEqual(SCENARIOS);
  });

  test('an unknown name is a usage error naming the known ones', () => {
    expect(() => selectScenarios(['postgress'])).toThrow(UsageError);
    try {
      selectScenarios(['postgress', 'mysqll']);
    } catch (error) {
      const known = SCENARIOS.map((s) => s.name).join(', ');
      expect((error as UsageError).oneLine()).toBe(`Unknown scenarios: postgress, mysqll. Known scenarios: ${known} (see \`persist list\`).`);
    }
  });
});
