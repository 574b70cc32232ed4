// `persist verify`'s work: read the artifact (its hash, its format), restore it into a throwaway
// server of the service's image, count what came back and run the expectations, then restore a
// damaged copy the same way, which must fail. The artifact is only read, before and after.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runOneShot } from '../docker/one-shot.ts';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { docker, ensureImage, inspectImage } from '../docker/engine.ts';
import { UsageError } from '../errors.ts';
import { type ArchiveWindow, type ArtifactFormat, type ArtifactHead, type ArtifactKit, knownFormats, recogniseArtifact } from '../services/artifact-kits.ts';
import { epochMs, round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactHead, artifactStream, describeArtifact } from './artifact-file.ts';
import { damagedCopy } from './damage.ts';
import { type DriftThresholds, driftProblems, verifyDrift } from './drift.ts';
import { RUN_LABEL } from '../docker/labels.ts';
import { runRestoreCommand } from './restore-command.ts';
import { REPOSITORIES, type Repository } from './repositories.ts';
import { placeFile, VOLUME_TAR } from './volume-tar.ts';
import { appProblems, integrityProblems, judgeDamagedCopy, problemsOf, verifyVerdict, windowProblems } from './verify-verdict.ts';
import { ArtifactUnusableError, type Pass, type VerifyTarget } from './restore-pass.ts';
import { newerThanTarget, planTarget, windowPromiseProblems } from './recovery-targets.ts';
import { parseDuration } from '../timing/durations.ts';
import { restoreDump } from './restore-dump.ts';
import { type AppResult, startApplication } from './app-on-restore.ts';
import { ARCHIVE_AT, dataDirectoryFiller, dataPathOf, extractVolumeTar, type Fill, restoreIntoVolume, restoreRepository } from './restore-into-volume.ts';

export type { VerifyTarget };
export { ArtifactUnusableError };

export interface VerifyRequest {
  from: string;
  format?: string;
  /** `--baseline`: an earlier verification of this backup, and how far this one may drift from it. */
  baseline?: { runId: string; verify: Pick<Verify, 'tables' | 'recoveryMs' | 'inventory'>; limits: DriftThresholds };
  /** `--restore`: the user's own restore command, which takes the place of persist's. */
  restoreCommand?: string;
  /** `--archive`: the continuous archive beside the base backup (PostgreSQL's WAL), replayed to its end. */
  archive?: string;
  /** `--at`: the instants to restore to as well, each through the archive. */
  at?: Date[];
  /** The server for the service the artifact is a backup of (its registry name; undefined for a volume's tar, which any service's can be). */
  target: (service: string | undefined) => Promise<VerifyTarget>;
}

type Log = (line: string) => void;

async function existing(path: string): Promise<void> {
  await stat(path).catch(() => {
    throw new UsageError(`There is no file or folder at ${path}.`, 'Give --from the backup file (or folder) to verify.');
  });
}

const formatIds = () => [...knownFormats(), VOLUME_TAR.id, ...REPOSITORIES.map((repository) => repository.id)];

/** A dump is loaded into a running server; a volume's tar, or a file the server loads at start, goes into its data directory first. */
type Recognised =
  | { kind: 'dump' | 'placed'; service: string; kit: ArtifactKit; format: ArtifactFormat }
  | { kind: 'volume'; format: ArtifactFormat }
  | { kind: 'repository'; format: Repository }
  | { kind: 'command'; format: ArtifactFormat };

/** An artifact restored by the user's own command, whatever its format. */
const USER_RESTORE: ArtifactFormat = { id: 'command', title: 'an artifact restored by your restore command', recognise: () => false };

function recognised(head: ArtifactHead, path: string, format: string | undefined): Recognised {
  if (format !== undefined && !formatIds().includes(format))
    throw new UsageError(`--format ${format} is not a format persist restores.`, `Use one of: ${formatIds().join(', ')}.`);
  const found = format === VOLUME_TAR.id ? undefined : recogniseArtifact(head, format);
  if (found) return { kind: found.format.placeAs || found.format.fillsDataDirectory ? 'placed' : 'dump', ...found };
  if (format === VOLUME_TAR.id || (format === undefined && VOLUME_TAR.recognise(head))) return { kind: 'volume', format: VOLUME_TAR };
  const repository = REPOSITORIES.find((candidate) => (format === undefined ? candidate.recognise(head) : candidate.id === format));
  if (repository) return { kind: 'repository', format: repository };
  throw new ArtifactUnusableError(
    `${path} is not a backup of a format persist knows (${formatIds().join(', ')}).`,
    'Name its format with --format if it is one of them, or restore it with your own `restore` command.',
  );
}

async function imageIdentity(reference: string): Promise<{ id: string | null; digest: string | null }> {
  const info = await docker()
    .getImage(reference)
    .inspect()
    .catch(() => undefined);
  return { id: info?.Id ?? null, digest: info?.RepoDigests?.[0]?.split('@')[1] ?? null };
}

/** The artifact read, what it is, and the server it goes into; your own restore command wins over persist's. */
async function readRequest(request: VerifyRequest) {
  await existing(request.from);
  const hashing = stopwatch();
  const artifact = await describeArtifact(request.from);
  const hashMs = round(hashing.ms());
  const head = await artifactHead(artifact);
  const recognisedOrNot = (() => {
    try {
      return recognised(head, request.from, request.format);
    } catch (error) {
      return error as Error;
    }
  })();
  const service = recognisedOrNot instanceof Error || !('service' in recognisedOrNot) ? undefined : recognisedOrNot.service;
  const target = await request.target(service).catch((error: unknown) => {
    // A file of no known format: that is the sentence to say, unless a restore command was to take it.
    throw recognisedOrNot instanceof Error && request.restoreCommand === undefined ? recognisedOrNot : error;
  });
  const restoreCommand = request.restoreCommand ?? target.settings.restore;
  if (recognisedOrNot instanceof Error && restoreCommand === undefined) throw recognisedOrNot;
  // Your own restore wins over persist's: it is how the backup is meant to come back.
  const found: Recognised = restoreCommand !== undefined ? { kind: 'command', format: USER_RESTORE } : (recognisedOrNot as Recognised);
  return { artifact, hashMs, head, found, target, restoreCommand };
}

/** How a format that goes into a new volume fills it. */
function fillFor(
  found: Exclude<Recognised, { kind: 'dump' }>,
  target: VerifyTarget,
  dataPath: string,
  scope: RunScope,
  restoreCommand: string | undefined,
  archive: string | undefined,
  recoveryTarget?: string,
): Fill {
  switch (found.kind) {
    case 'placed':
      return found.format.fillsDataDirectory
        ? async (helper, facts, volume) =>
            found.kit.fill!(
              found.format.id,
              dataDirectoryFiller(helper, facts.path, (await artifactHead(facts)) as Extract<ArtifactHead, { shape: 'directory' }>, {
                scope,
                image: target.setup.image,
                volume,
                dataPath,
                environment: { ...(await inspectImage(target.setup.image))?.env, ...target.setup.environment },
                ...(archive ? { archive } : {}),
                ...(recoveryTarget ? { recoveryTarget } : {}),
              }),
            )
        : async (helper, facts) => ({ steps: [await placeFile(helper, artifactStream(facts), found.format.placeAs!)] });
    case 'repository':
      return async (helper, facts) => restoreRepository(found.format, facts.path, helper, await scope.createHostFolder('verify-restore'));
    case 'command': {
      const label = `${RUN_LABEL}=${scope.runId}`;
      return async (_helper, facts, volume) => ({
        steps: [await runRestoreCommand(restoreCommand!, { artifact: facts.path, volume, dataPath, image: target.setup.image, label, cwd: target.directory })],
      });
    }
    case 'volume':
      return async (helper, facts) => ({ steps: [await extractVolumeTar(helper, facts, dataPath)] });
  }
  throw new Error('a dump is loaded into a running server: it fills no volume');
}

/** The artifact as the report records it. */
function artifactRecord(artifact: ArtifactFacts, format: ArtifactFormat, unchanged: boolean): Verify['artifact'] {
  return {
    path: artifact.path,
    format: format.id,
    formatTitle: format.title,
    shape: artifact.shape,
    compression: artifact.compression,
    bytes: artifact.bytes,
    sha256: artifact.sha256,
    modifiedAt: new Date(artifact.modifiedMs).toISOString(),
    ageMs: round(epochMs() - artifact.modifiedMs),
    unchanged,
  };
}

/** What the archive beside the base backup can replay, read before any restore; `--archive` with anything else is one sentence. */
async function archiveWindow(archive: string, found: Recognised, artifact: ArtifactFacts, target: VerifyTarget, scope: RunScope, log: Log) {
  const kit = found.kind === 'placed' ? found.kit : undefined;
  if (!kit?.archive?.formats.includes(found.format.id))
    throw new UsageError(
      `--archive goes with a base backup whose archive persist replays, and ${artifact.path} is ${found.format.title}.`,
      'Give --from the pg_basebackup folder the archive belongs to, or leave out --archive.',
    );
  const files = await readdir(archive).catch(() => {
    throw new UsageError(`There is no folder at ${archive}.`, 'Give --archive the folder your archive_command writes to.');
  });
  log(`verify: reading the archive ${archive} (${files.length} files)`);
  const reading = stopwatch();
  const window = await kit.archive.window({
    files,
    archivePath: ARCHIVE_AT,
    archiveFile: (name) => readFile(join(archive, name), 'utf8'),
    artifactFile: (name) => readFile(join(artifact.path, name), 'utf8'),
    inServerImage: async (script) => {
      const result = await runOneShot(scope, { image: target.setup.image, script, binds: [`${archive}:${ARCHIVE_AT}:ro`], purpose: 'verify-tool' });
      return { exitCode: result.exitCode, output: result.logs };
    },
  });
  return { ...window, readMs: round(reading.ms()) };
}

/** x-persist's `verify.window.atLeast` and `verify.rpo`, in ms (the schema has checked their form). */
function promisedOf(settings: VerifyTarget['settings']): { windowMs?: number; rpoMs?: number } {
  const windowMs = settings.window ? parseDuration(settings.window.atLeast) : undefined;
  const rpoMs = settings.rpo ? parseDuration(settings.rpo) : undefined;
  return { ...(windowMs !== undefined ? { windowMs } : {}), ...(rpoMs !== undefined ? { rpoMs } : {}) };
}

/**
 * Damaged copies of the artifact, restored like it, until one fails (it must). A restore that
 * already fails has shown it can fail: no copy is tried. A folder is damaged in another place while
 * its damaged copies restore the same data.
 */
async function restoreDamagedCopies(
  artifact: ArtifactFacts,
  intact: Pass,
  restorePass: (facts: ArtifactFacts, intact: boolean) => Promise<Pass>,
  scope: RunScope,
  log: Log,
): Promise<Verify['damaged']> {
  let damaged: Verify['damaged'] = null;
  const sameData: string[] = [];
  for (let attempt = 0; damaged?.failed !== true; attempt += 1) {
    const copy = await damagedCopy(artifact, await scope.createHostFolder('verify-damaged'), attempt);
    if (!copy) break;
    log(`verify: the damaged copy (${copy.how})`);
    const judged = judgeDamagedCopy(intact, await restorePass({ ...artifact, path: copy.path }, false));
    const before = sameData.length > 0 ? ` (before it, ${sameData.join('; ')}: each restored the same data as the intact artifact)` : '';
    damaged = { how: `${copy.how}${before}`, ...judged };
    sameData.push(copy.how);
  }
  return damaged;
}

/** `--at`: a restore to each time the window reaches (one past its unbroken end is the end, restored above); each judged on its own. */
async function restoresToTimes(at: readonly Date[], window: ArchiveWindow, restoreTo: (at: Date) => Promise<Pass>, log: Log) {
  const results: Array<NonNullable<Verify['targets']>[number] & { problem?: string }> = [];
  for (const plan of at.map((instant) => planTarget(instant, window))) {
    const base = { at: plan.at.toISOString(), kind: plan.kind };
    if (plan.kind !== 'time') {
      const note = plan.kind === 'end' ? plan.why : plan.problem;
      results.push({ ...base, rows: null, newest: null, recoveryMs: null, note, ...(plan.kind === 'unreachable' ? { problem: plan.problem } : {}) });
      continue;
    }
    log(`verify: restoring to ${base.at}`);
    const pass = await restoreTo(plan.at);
    const newest = pass.dataAge?.newest ?? null;
    const problem = pass.failure !== undefined ? `The restore to ${base.at} failed: ${pass.failure}` : newerThanTarget(plan.at, newest);
    results.push({
      ...base,
      rows: pass.failure === undefined ? pass.tables.reduce((sum, table) => sum + table.rows, 0) : null,
      newest,
      recoveryMs: round(pass.phases.reduce((sum, phase) => sum + phase.ms, 0)),
      note: problem ?? (newest ? `its newest row is from ${newest}` : 'restored; no fresh query says how new its rows are'),
      ...(problem ? { problem } : {}),
    });
  }
  return results;
}

async function applicationOn(serverId: string, target: VerifyTarget, scope: RunScope, log: Log): Promise<AppResult[]> {
  log(`verify: starting ${target.app.map((service) => service.name).join(', ')} on the restored data`);
  return startApplication(serverId, target.service!, target.app, scope);
}

export async function runVerify(request: VerifyRequest, scope: RunScope, log: Log): Promise<Verify> {
  const { artifact, hashMs, head, found, target, restoreCommand } = await readRequest(request);
  const format = found.format;
  await ensureImage(target.setup.image, target.standIn);
  const dataPath = found.kind === 'dump' ? undefined : await dataPathOf(target);
  if (dataPath) await ensureImage(target.helperImage.reference, target.helperImage.standIn);
  log(`verify: ${format.title} (${artifact.bytes.toLocaleString('en')} bytes), restored into ${target.setup.image}${dataPath ? ` at ${dataPath}` : ''}`);
  const restorePass = (facts: ArtifactFacts, intact: boolean) =>
    found.kind === 'dump'
      ? restoreDump(found.kit, format.id, facts, head, target, scope, intact)
      : restoreIntoVolume(
          format.id,
          facts,
          target,
          dataPath!,
          scope,
          fillFor(found, target, dataPath!, scope, restoreCommand, request.archive),
          request.archive,
        );
  if (request.at?.length && !request.archive)
    throw new UsageError('--at restores to a point in time through a continuous archive.', 'Give the archive beside the base backup with --archive DIR.');
  const window = request.archive ? await archiveWindow(request.archive, found, artifact, target, scope, log) : undefined;
  const restoreTo = (at: Date) =>
    restoreIntoVolume(
      format.id,
      artifact,
      target,
      dataPath!,
      scope,
      fillFor(found as Exclude<Recognised, { kind: 'dump' }>, target, dataPath!, scope, restoreCommand, request.archive, at.toISOString()),
      request.archive,
    );

  const intact = await restorePass(artifact, true);
  const allowEmpty = target.settings.allowEmpty === true;
  const problems = problemsOf(intact, allowEmpty, found.kind === 'volume' || found.kind === 'repository' || found.kind === 'command');
  // The tool's own reading of every byte, apart from the recovery it is not part of.
  if (found.kind === 'repository' && intact.failure === undefined)
    intact.restore?.integrity.push(await found.format.check(artifact.path, await scope.createHostFolder('verify-check')));
  problems.push(...integrityProblems(intact.restore?.integrity ?? []), ...windowProblems(window));
  if (window) problems.push(...windowPromiseProblems(window, promisedOf(target.settings), epochMs()));
  // The application on the intact restore, while its server still runs: before any damaged copy starts.
  const app = target.app.length > 0 && intact.failure === undefined && intact.serverId ? await applicationOn(intact.serverId, target, scope, log) : null;
  problems.push(...appProblems(app ?? []));
  const targets = window && request.at?.length ? await restoresToTimes(request.at, window, restoreTo, log) : undefined;
  problems.push(...(targets?.flatMap((entry) => (entry.problem ? [entry.problem] : [])) ?? []));
  const damaged = intact.failure === undefined ? await restoreDamagedCopies(artifact, intact, restorePass, scope, log) : null;

  const after = await describeArtifact(request.from);
  const unchanged = after.sha256 === artifact.sha256 && after.modifiedMs === artifact.modifiedMs;
  if (!unchanged) problems.push('The artifact changed while it was verified (its sha256 or modification time): something else wrote to it; verify it again.');
  const recoveryMs = round(intact.phases.reduce((sum, phase) => sum + phase.ms, 0));
  const drift = request.baseline
    ? verifyDrift(
        { runId: request.baseline.runId, ...request.baseline.verify },
        { tables: intact.tables, recoveryMs, inventory: intact.inventory ?? null },
        request.baseline.limits,
      )
    : undefined;
  if (drift) problems.push(...driftProblems(drift));
  return {
    artifact: artifactRecord(artifact, format, unchanged),
    service: target.service,
    image: { reference: target.setup.image, ...(await imageIdentity(target.setup.image)), serverVersion: intact.serverVersion },
    phases: [{ phase: 'hash', ms: hashMs }, ...intact.phases],
    recoveryMs,
    restore: { passed: intact.restore !== null && intact.failure === undefined, steps: intact.restore?.steps ?? [] },
    integrity: intact.restore?.integrity ?? [],
    database: intact.restore?.database ?? null,
    dataPath: dataPath ?? null,
    files: intact.files,
    tables: intact.tables,
    inventory: intact.inventory ?? null,
    expectations: intact.expectations,
    allowEmpty,
    dataAge: intact.dataAge,
    ...(window ? { window: { archive: request.archive!, ...window } } : {}),
    ...(targets ? { targets: targets.map(({ problem: _problem, ...entry }) => entry) } : {}),
    app,
    damaged,
    ...(drift ? { drift } : {}),
    verdict: verifyVerdict(problems, damaged),
    problems,
  };
}
