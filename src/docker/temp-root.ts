// Where a run keeps its host folders, and its record of anonymous volumes: under one root, so a
// leftover is easy to find, and so a sweep in another process (after Ctrl-C) finds the record.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Host folders of all runs live below this one root. */
export function harnessTempRoot(): string {
  return join(tmpdir(), 'persistence-harness');
}

export function runTempRoot(runId: string): string {
  return join(harnessTempRoot(), runId);
}

const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

function recordFile(runId: string): string {
  return join(runTempRoot(runId), 'anonymous-volumes');
}

/**
 * Anonymous volumes carry no labels on this engine: a Compose copy records each one's name
 * here before a `down` can leave it behind, and the run's sweep removes exactly those.
 */
export async function recordAnonymousVolume(runId: string, name: string): Promise<void> {
  if (!ANONYMOUS_VOLUME.test(name)) return;
  await mkdir(runTempRoot(runId), { recursive: true });
  await appendFile(recordFile(runId), `${name}\n`);
}

export async function recordedAnonymousVolumes(runId: string): Promise<string[]> {
  const text = await readFile(recordFile(runId), 'utf8').catch(() => '');
  return [...new Set(text.split('\n').filter((line) => ANONYMOUS_VOLUME.test(line)))];
}
