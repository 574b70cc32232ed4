// The house's import rules (.dependency-cruiser.cjs) hold, and would fail: the real tree passes
// with every file parsed, and a copy of it with a wrong import planted is refused by name.
import { appendFile, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

interface Cruise {
  modules: Array<{ source: string; dependencies: Array<{ resolved: string; dependencyTypes: string[] }> }>;
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
}

async function cruise(cwd: string): Promise<Cruise> {
  const result = await execa(DEPCRUISE, ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, reject: false });
  return JSON.parse(result.stdout) as Cruise;
}

let copy = '';
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'persist-import-rules-'));
  await cp(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
});
afterAll(() => rm(copy, { recursive: true, force: true }));

describe('the import rules', () => {
  test('the tree keeps them, with every source file read (type-only imports too)', async () => {
    const result = await cruise(ROOT);
    expect(result.summary.violations).toEqual([]);
    const sources = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const read = new Set(result.modules.map((module) => module.source));
    expect(sources.filter((file) => !read.has(`src/${file}`) && !file.endsWith('-for-tests.ts'))).toEqual([]);
    const verdict = result.modules.find((module) => module.source === 'src/check/check-verdict.ts');
    expect(verdict?.dependencies.find((dependency) => dependency.resolved === 'src/report/check-exit-code.ts')?.dependencyTypes).toContain('type-only');
  });

  test('an import from the core into a product, one product into another, the engine into the settings, the floor under the services into a service, and a cycle are each refused by name', async () => {
    await appendFile(join(copy, 'src/timing/clock.ts'), "\nimport '../commands/run.ts';\n");
    await appendFile(join(copy, 'src/check/check-plan.ts'), "\nimport '../matrix/suite.ts';\n");
    await appendFile(join(copy, 'src/docker/labels.ts'), "\nimport type { ImageChoice } from '../config.ts';\n");
    await appendFile(join(copy, 'src/probes/probe.ts'), "\nimport '../services/registry.ts';\n");
    await appendFile(join(copy, 'src/data/hash.ts'), "\nimport './fingerprint.ts';\n");
    await appendFile(join(copy, 'src/data/fingerprint.ts'), "\nimport './hash.ts';\n");
    const refused = (await cruise(copy)).summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
    expect(refused).toContain('core-imports-no-product: src/timing/clock.ts → src/commands/run.ts');
    expect(refused).toContain('ground-floor-stands-alone: src/timing/clock.ts → src/commands/run.ts');
    expect(refused).toContain('check-imports-no-other-product: src/check/check-plan.ts → src/matrix/suite.ts');
    expect(refused).toContain('engine-stands-on-the-ground-floor: src/docker/labels.ts → src/config.ts');
    expect(refused).toContain('engine-knows-no-service: src/probes/probe.ts → src/services/registry.ts');
    expect(refused.some((line) => line.startsWith('no-cycle: src/data/'))).toBe(true);
  });
});
