// `persist run` is a program you can call: a small Node program (the example users copy) calls
// the runner with typed settings and gets the run's Report back in memory. No PERSIST_*
// variable reaches it: the settings travel to the scenario workers as one object.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { RUN_LABEL } from '../../src/docker/labels.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMAGES = loadConfig().imageSet;
const made: string[] = [];
afterAll(() => Promise.all(made.map((folder) => rm(folder, { recursive: true, force: true }))));

/** This process's environment without a single PERSIST_ setting. */
function withoutPersistSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => !entry[0].startsWith('PERSIST_') && entry[1] !== undefined),
  );
}

test('a Node program calls the runner as a function and gets the Report back', async () => {
  const program = await execa(process.execPath, ['examples/run-as-a-function/run.mjs', IMAGES, 'tmpfs'], {
    cwd: ROOT,
    reject: false,
    extendEnv: false,
    env: withoutPersistSettings(),
  });
  const lastLine = program.stdout.trim().split('\n').at(-1) ?? '';
  const answer = JSON.parse(lastLine) as {
    runId: string;
    settings: { imageSet: string; trials: number; filters: string[] };
    results: { id: string; status: string }[];
    controls: { id: string; caught: boolean }[];
    exitCode: number;
  };
  made.push(join(ROOT, 'reports', answer.runId));
  expect(program.exitCode, program.stderr).toBe(0);
  // The settings arrived as given (trials 1, the image set, the scenario), not as the environment's defaults.
  expect(answer.settings).toEqual({ imageSet: IMAGES, trials: 1, filesAtOnce: 2, filters: ['tmpfs'] });
  expect(answer.results).toEqual([{ id: 'toolbox/tmpfs/restart/sticky-notes', status: 'passed' }]);
  expect(answer.controls.map((control) => control.caught)).toEqual([true, true]);
  expect(answer.exitCode).toBe(0);
  // The runner swept what its run made.
  const left = await execa('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${answer.runId}`]);
  expect(left.stdout.trim()).toBe('');
});
