// `persist verify` run as a user runs it, its report read back and checked against the schema: the
// one way the verify tests call the command.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { VerifyReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/validate.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const LOCAL = loadConfig().imageSet === 'local';

/** Runs verify with its report in a new folder under `scratch`; a run that wrote no report throws with what it printed. */
export async function verifyRun(scratch: string, args: string[], env: Record<string, string> = {}) {
  const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const result = await execa(process.execPath, ['bin/persist.js', 'verify', ...(LOCAL ? ['--images', 'local'] : []), ...args, '--out', out], {
    cwd: ROOT,
    reject: false,
    env: { PERSIST_QUIET: '1', ...env },
  });
  const file = join(out, 'report.json');
  const written = await readFile(file, 'utf8').catch(() => {
    throw new Error(`persist verify ${args.join(' ')} wrote no report (exit ${result.exitCode}): ${result.stdout} ${result.stderr}`);
  });
  const report = JSON.parse(written) as VerifyReport;
  expect(reportProblems(report)).toEqual([]);
  // Non-null for the tests' reading; a refusal's report has none, and its tests read harnessErrors.
  return { ...result, out, file, report, verify: report.verify! };
}
