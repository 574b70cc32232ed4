import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { compareVersions, enginesRange, minimumOf, nodeVersionProblem } from './node-check.js';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const VERBS = [
  ['run'],
  ['audit'],
  ['check'],
  ['verify'],
  ['doctor'],
  ['clean'],
  ['report', 'x.json'],
  ['images', 'build'],
  ['list'],
  ['--version'],
  ['--help'],
  [],
];

/** Node, made to say it is `version` before anything else loads: what an older Node looks like to the launcher. */
function fakedNode(version: string): NodeJS.ProcessEnv {
  const fake = `Object.defineProperty(process.versions, 'node', { value: '${version}' });`;
  return { ...process.env, NODE_OPTIONS: `--import "data:text/javascript,${encodeURIComponent(fake)}"` };
}

async function outcome(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the launcher's Node check", () => {
  test('versions compare as numbers, part by part', () => {
    expect(compareVersions('22.21.9', '22.22')).toBeLessThan(0);
    expect(compareVersions('22.22.0', '22.22')).toBe(0);
    expect(compareVersions('v22.22.1', '22.22')).toBeGreaterThan(0);
    expect(compareVersions('23.0.0', '22.22')).toBeGreaterThan(0);
    expect(compareVersions('22.100.0', '22.22')).toBeGreaterThan(0);
    expect(compareVersions('20.20.2', '22.22')).toBeLessThan(0);
  });

  test('the minimum is read from engines; a range of another form is refused', () => {
    expect(minimumOf('>=22.22')).toBe('22.22');
    expect(minimumOf(enginesRange())).toMatch(/^\d+\.\d+/);
    expect(() => minimumOf('^22.22.0')).toThrow(/>=MAJOR\.MINOR/);
  });

  test('one sentence naming the version found, the version needed and the fix; nothing for a new enough Node', () => {
    const sentence = nodeVersionProblem('22.21.0', '>=22.22', '/usr/bin/node');
    expect(sentence).toBe(
      'persist needs Node 22.22 or newer and this is Node 22.21.0 (/usr/bin/node): run `bash .ci/setup` to install one, or put a newer Node first on PATH.',
    );
    expect(nodeVersionProblem('22.22.0', '>=22.22')).toBeUndefined();
    expect(nodeVersionProblem('24.1.0', '>=22.22')).toBeUndefined();
  });

  test('.ci/lib.sh reads the same minimum from package.json', async () => {
    const { stdout } = await run('bash', ['-c', 'source .ci/lib.sh && printf %s "$PH_MIN_NODE"'], { cwd: ROOT });
    expect(stdout).toBe(minimumOf(enginesRange()));
  });

  test.each(VERBS.map((args) => [args.join(' ') || '(no verb)', args]))(
    'node bin/persist.js %s on Node 22.21.0: the sentence and exit 2, nothing else',
    async (_, args) => {
      const { code, stdout, stderr } = await outcome(process.execPath, ['bin/persist.js', ...(args as string[])], fakedNode('22.21.0'));
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([nodeVersionProblem('22.21.0', enginesRange(), process.execPath)]);
    },
  );

  test('npx persist on an older Node says the same', async () => {
    const { code, stderr } = await outcome('npx', ['--offline', '--no-install', 'persist', 'doctor'], fakedNode('20.20.2'));
    expect(code).toBe(2);
    expect(stderr).toContain('persist needs Node 22.22 or newer and this is Node 20.20.2');
    expect(stderr).toContain('`bash .ci/setup`');
  });

  test('npm scripts start with the same check: the sentence and exit 2 on an older Node, nothing on this one', async () => {
    const old = await outcome(process.execPath, ['bin/node-check.js'], fakedNode('22.21.0'));
    expect([old.code, old.stderr.trim()]).toEqual([2, nodeVersionProblem('22.21.0', enginesRange(), process.execPath)]);
    const current = await outcome(process.execPath, ['bin/node-check.js'], process.env);
    expect([current.code, current.stdout, current.stderr]).toEqual([0, '', '']);
  });

  test('the Node this suite runs on passes the check', () => {
    expect(nodeVersionProblem(process.versions.node, enginesRange())).toBeUndefined();
  });
});
