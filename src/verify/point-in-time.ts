// `--archive`'s restores beside the one to the archive's end: the archive read for its window,
// a restore to each point (the `--at`s, or the points that prove the window), each judged on its
// own, and the damaged copy of the archive, one segment gone from its middle, which must end the
// window there and stop the restore at it.
import { chmod, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { runOneShot } from '../docker/one-shot.ts';
import { UsageError } from '../errors.ts';
import type { ArchiveReading, ArtifactKit } from '../services/artifact-kits.ts';
import { round, stopwatch } from '../timing/clock.ts';
import type { ArtifactFacts } from './artifact-file.ts';
import type { Pass } from './restore-pass.ts';
import { type TargetPlan, type TargetResult, targetResult } from './recovery-targets.ts';
import { ARCHIVE_AT, type ArchiveMount } from './restore-into-volume.ts';
import { judgeDamagedArchive, judgeDamagedCopy } from './verify-verdict.ts';

type Log = (line: string) => void;
export type ArchiveKit = NonNullable<ArtifactKit['archive']>;

/** What the archive can replay from the base backup, read in a one-off container of the server's image; the archive is only read. */
export async function readArchive(archive: string, kit: ArchiveKit, format: string, artifact: ArtifactFacts, image: string, scope: RunScope, log: Log) {
  const entries = await readdir(archive, { recursive: true, withFileTypes: true }).catch(() => {
    throw new UsageError(`There is no folder at ${archive}.`, 'Give --archive the folder your archive_command writes to.');
  });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => relative(archive, join(entry.parentPath, entry.name)));
  log(`verify: reading the archive ${archive} (${files.length} files)`);
  const reading = stopwatch();
  const read = await kit.read(
    {
      files,
      archivePath: ARCHIVE_AT,
      archiveFile: async (name) => {
        const bytes = await readFile(join(archive, name));
        // By its first bytes: Barman gzips a file and keeps its name.
        return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
      },
      artifactFile: (name) => readFile(join(artifact.path, name), 'utf8'),
      inServerImage: async (script) => {
        const result = await runOneShot(scope, { image, script, binds: [`${archive}:${ARCHIVE_AT}:ro`], purpose: 'verify-tool' });
        return { exitCode: result.exitCode, output: result.logs };
      },
    },
    format,
  );
  return { ...read, files, readMs: round(reading.ms()) };
}

/** A restore to each point the window reaches (its end is the intact restore, made already), each judged on its own. */
export async function restoresToPoints(
  plans: readonly TargetPlan[],
  reading: ArchiveReading,
  intact: Pass,
  restoreTo: (at: Date) => Promise<Pass>,
  log: Log,
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const plan of plans) {
    if (plan.kind === 'time') log(`verify: restoring to ${plan.at.toISOString()}${plan.point === 'asked' ? '' : ` (the window's ${plan.point})`}`);
    const pass = plan.kind === 'time' ? await restoreTo(plan.at) : plan.kind === 'end' ? intact : undefined;
    results.push(targetResult(plan, pass, (at) => reading.lastCommitBy(at)));
  }
  return results;
}

/**
 * The archive without the segment the kit can spare (the middle of the run), copied into the run's
 * scratch folder, read and restored to its end like the intact one: its window must end at the
 * gap and the restore stop there. Undefined where no segment can be spared.
 */
export async function damagedArchive(
  archive: string,
  reading: ArchiveReading,
  intact: Pass,
  restore: (mount: ArchiveMount) => Promise<Pass>,
  reread: (copy: string) => Promise<ArchiveReading>,
  scratch: string,
  log: Log,
): Promise<Verify['damaged'] | undefined> {
  const missing = reading.spare;
  if (missing === undefined) return undefined;
  // Owners and modes kept (the server reads the archive as its own user), then the one file gone.
  await execa('cp', ['-a', `${archive}/.`, scratch]);
  const folder = dirname(join(scratch, missing));
  await chmod(folder, (await stat(folder)).mode | 0o200);
  await rm(join(scratch, missing));
  const how = `the archive without ${basename(missing)} (the middle of the ${reading.window.segments} segments the backup replays)`;
  log(`verify: the damaged copy (${how})`);
  const judged = judgeDamagedCopy(intact, await restore({ path: scratch, replayFrom: reading.replayFrom }));
  const window = await reread(scratch).then(
    (read) => read.window,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return { how, ...judgeDamagedArchive(basename(missing), reading.window, window, judged) };
}
