// Writes a report in every format into its folder, and refreshes reports/latest. Files are written
// beside their final name and renamed, so an interrupted write never leaves half a report.
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Report } from './model.ts';
import { FORMATS } from './render/formats.ts';

export const REPORTS_DIR = 'reports';

export function defaultOutDir(runId: string): string {
  return join(REPORTS_DIR, runId);
}

export interface WrittenReport {
  outDir: string;
  files: string[];
  latestDir: string | undefined;
}

export async function writeReport(report: Report, outDir: string, updateLatest: boolean): Promise<WrittenReport> {
  const target = resolve(outDir);
  await mkdir(target, { recursive: true });
  const outputs = Object.values(FORMATS).map(({ file, render }) => [file, render(report)] as const);
  const files: string[] = [];
  for (const [name, content] of outputs) {
    if (content === undefined) continue;
    const path = join(target, name);
    await writeFile(`${path}.partial`, content);
    await rename(`${path}.partial`, path);
    files.push(path);
  }
  let latestDir: string | undefined;
  if (updateLatest) {
    latestDir = join(dirname(target), 'latest');
    const staging = join(dirname(target), `.latest-${basename(target)}`);
    await rm(staging, { recursive: true, force: true });
    await cp(target, staging, { recursive: true });
    await rm(latestDir, { recursive: true, force: true });
    await rename(staging, latestDir);
  }
  return { outDir: target, files, latestDir };
}
