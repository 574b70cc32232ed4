// The report folder is checked before anything starts: a run whose results cannot be written
// has wasted its minutes. Node's recursive mkdir spins forever on a path below /proc, so the
// folder is made one level at a time, and a probe file proves it can be written.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

const REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'it cannot be created there',
  ENOTDIR: 'a part of the path is a file',
  ENOSPC: 'the disk is full',
  EEXIST: 'it exists and is not a folder',
};

function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  return REASONS[code] ?? (error instanceof Error ? error.message : String(error));
}

function refuse(folder: string, reason: string): UsageError {
  return new UsageError(`The report folder ${folder} cannot be written: ${reason}.`, 'Choose a writable folder with --out.');
}

async function kindOf(path: string): Promise<'folder' | 'other' | 'absent'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
  }
}

/** Makes the folder if needed and proves it can be written; returns its absolute path. */
export async function prepareOutDir(path: string): Promise<string> {
  const folder = resolve(path);
  const missing: string[] = [];
  let existing = folder;
  try {
    let kind = await kindOf(existing);
    while (kind === 'absent' && dirname(existing) !== existing) {
      missing.unshift(existing);
      existing = dirname(existing);
      kind = await kindOf(existing);
    }
    if (kind === 'other') throw refuse(folder, existing === folder ? 'it names an existing file, not a folder' : `${existing} is a file`);
    for (const level of missing) await mkdir(level);
    const probe = join(folder, `.persist-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw refuse(folder, reasonOf(error));
  }
  return folder;
}
