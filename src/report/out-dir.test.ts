import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../errors.ts';
import { prepareOutDir } from './out-dir.ts';

const made: string[] = [];
afterAll(async () => {
  for (const folder of made) await rm(folder, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'persist-out-'));
  made.push(folder);
  return folder;
}

describe('the report folder, checked before a run starts', () => {
  test('missing levels are made, and nothing is left in the folder', async () => {
    const root = await scratch();
    const folder = await prepareOutDir(join(root, 'a', 'b'));
    expect((await stat(folder)).isDirectory()).toBe(true);
    expect(await readdir(folder)).toEqual([]);
  });

  test('a path below /proc is refused at once instead of spinning', async () => {
    await expect(prepareOutDir('/proc/x')).rejects.toThrow(UsageError);
    await expect(prepareOutDir('/proc/x/y')).rejects.toThrow(/The report folder \/proc\/x\/y cannot be written: /);
  });

  test('an existing file, or a file on the way, is named', async () => {
    const root = await scratch();
    const file = join(root, 'report.json');
    await writeFile(file, '{}');
    await expect(prepareOutDir(file)).rejects.toThrow(`The report folder ${file} cannot be written: it names an existing file, not a folder.`);
    await expect(prepareOutDir(join(file, 'inside'))).rejects.toThrow(`${file} is a file`);
  });
});
