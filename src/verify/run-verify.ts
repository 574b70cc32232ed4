// `persist verify`'s work: read the artifact (its hash, its format), restore it into a throwaway
// server of the service's image, count what came back and run the expectations, then restore a
// damaged copy the same way, which must fail. The artifact is only read, before and after.
import { stat } from 'node:fs/promises';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { docker, ensureImage, inspectImage } from '../docker/engine.ts';
import { UsageError } from '../errors.ts';
import { type ArtifactFormat, type ArtifactHead, type ArtifactKit, knownFormats, recogniseArtifact } from '../services/artifact-kits.ts';
import { epochMs, round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactHead, artifactStream, describeArtifact } from './artifact-file.ts';
import { damagedRestore } from './damaged-restores.ts';
import { type DriftThresholds, driftProblems, verifyDrift } from './drift.ts';
import { RUN_LABEL } from '../docker/labels.ts';
import { runRestoreCommand } from './restore-command.ts';
import { REPOSITORIES, type Repository } from './repositories.ts';
import { placeFile, VOLUME_TAR } from './volume-tar.ts';
import { appProblems, integrityProblems, problemsOf, verifyVerdict, windowProblems } from './verify-verdict.ts';
import { ArtifactUnusableError, type VerifyTarget } from './restore-pass.ts';
import { checkPointArguments, planTarget, promisedOf, unprovedWindow, windowPoints, windowPromiseProblems } from './recovery-targets.ts';
import { type ArchiveKit, readArchive, restoresToPoints } from './point-in-time.ts';
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
  /** `--points`: without `--at`, how many points inside the window are restored to, besides its start and end (1 unless given). */
  points?: number;
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

/** A format that goes into the data directory before the server starts. */
type Placed = { kind: 'placed'; service: string; kit: ArtifactKit; format: ArtifactFormat };

/** A dump is loaded into a running server; a volume's tar, or a file the server loads at start, goes into its data directory first. */
type Recognised =
  | { kind: 'dump'; service: string; kit: ArtifactKit; format: ArtifactFormat }
  | Placed
  | { kind: 'volume'; format: ArtifactFormat }
  | { kind: 'repository'; format: Repository }
  /** Your own restore command; what the artifact is underneath, where persist knows it, still says how to read its archive. */
  | { kind: 'command'; format: ArtifactFormat; underlying?: Placed };

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
  const underlying = recognisedOrNot instanceof Error || recognisedOrNot.kind !== 'placed' ? undefined : recognisedOrNot;
  const found: Recognised =
    restoreCommand !== undefined ? { kind: 'command', format: USER_RESTORE, ...(underlying ? { underlying } : {}) } : (recognisedOrNot as Recognised);
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
      // A repository that holds its own archive is the artifact: its damaged copy is given in PERSIST_ARTIFACT.
      const inArtifact = archive !== undefined && found.underlying !== undefined && selfContained(found.underlying);
      return async (_helper, facts, volume) => ({
        steps: [
          await runRestoreCommand(restoreCommand!, {
            artifact: inArtifact ? archive : facts.path,
            volume,
            dataPath,
            image: target.setup.image,
            label,
            cwd: target.directory,
            ...(archive && !inArtifact ? { archive } : {}),
            ...(archive ? { archiveAt: ARCHIVE_AT } : {}),
            ...(recoveryTarget ? { targetTime: recoveryTarget } : {}),
          }),
        ],
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

/** What the artifact is for its archive: the format persist restores, or the one under your own restore command. */
const placedOf = (found: Recognised) => (found.kind === 'placed' ? found : found.kind === 'command' ? found.underlying : undefined);

/** A format whose artifact holds its own archive (a pgBackRest repository). */
const selfContained = (found: Recognised) => {
  const placed = placedOf(found);
  return placed?.kit.archive?.selfContained.includes(placed.format.id) === true;
};

/** The kit that reads the archive beside this artifact (or in it), and the format it reads; `--archive` with anything else is one sentence. */
function archiveKitFor(found: Recognised, artifact: ArtifactFacts, given: boolean): { kit: ArchiveKit; format: string } {
  const placed = placedOf(found);
  if (given && selfContained(found)) throw new UsageError(`${artifact.path} is ${placed!.format.title}: it holds its own archive.`, 'Leave out --archive.');
  if (!placed?.kit.archive?.formats.includes(placed.format.id))
    throw new UsageError(
      `--archive goes with a base backup whose archive persist reads, and ${artifact.path} is ${(placed ?? found).format.title}.`,
      'Give --from the base backup (or pgBackRest repository) the archive belongs to, or leave out --archive.',
    );
  return { kit: placed.kit.archive, format: placed.format.id };
}

async function applicationOn(serverId: string, target: VerifyTarget, scope: RunScope, log: Log): Promise<AppResult[]> {
  log(`verify: starting ${target.app.map((service) => service.name).join(', ')} on the restored data`);
  return startApplication(serverId, target.service!, target.app, scope);
}

/**
 * The archive beside the artifact (or in it), read for its window before any restore. A repository
 * holding its own archive is read unless your own restore takes it and no point was asked for: a
 * command that restores the backup alone (pgBackRest's --type=immediate) proves no point.
 */
async function archiveOf(request: VerifyRequest, found: Recognised, artifact: ArtifactFacts, image: string, scope: RunScope, log: Log) {
  const pointsAsked = Boolean(request.at?.length) || request.points !== undefined;
  const ownArchive = selfContained(found) && (found.kind !== 'command' || pointsAsked);
  const archiveKit = request.archive || ownArchive ? archiveKitFor(found, artifact, request.archive !== undefined) : undefined;
  const archivePath = request.archive ?? (archiveKit ? artifact.path : undefined);
  checkPointArguments(request, archivePath !== undefined);
  if (!archiveKit || !archivePath) return { archive: undefined, archivePath };
  const reread = (path: string, say: Log) => readArchive(path, archiveKit.kit, archiveKit.format, artifact, image, scope, say);
  const reading = await reread(archivePath, log);
  return { archive: { path: archivePath, reading, reread: (copy: string) => reread(copy, () => {}) }, archivePath };
}

export async function runVerify(request: VerifyRequest, scope: RunScope, log: Log): Promise<Verify> {
  const { artifact, hashMs, head, found, target, restoreCommand } = await readRequest(request);
  const format = found.format;
  await ensureImage(target.setup.image, target.standIn);
  const dataPath = found.kind === 'dump' ? undefined : await dataPathOf(target);
  if (dataPath) await ensureImage(target.helperImage.reference, target.helperImage.standIn);
  log(`verify: ${format.title} (${artifact.bytes.toLocaleString('en')} bytes), restored into ${target.setup.image}${dataPath ? ` at ${dataPath}` : ''}`);
  const { archive, archivePath } = await archiveOf(request, found, artifact, target.setup.image, scope, log);
  const reading = archive?.reading;
  const mount = reading ? { path: archivePath!, replayFrom: reading.replayFrom } : undefined;
  const restorePass = (facts: ArtifactFacts, intact: boolean, archive = mount, at?: Date) =>
    found.kind === 'dump'
      ? restoreDump(found.kit, format.id, facts, head, target, scope, intact)
      : restoreIntoVolume(
          format.id,
          facts,
          target,
          dataPath!,
          scope,
          fillFor(found, target, dataPath!, scope, restoreCommand, archive?.path, at?.toISOString()),
          archive && at ? { ...archive, at: at.toISOString() } : archive,
        );
  const window = reading?.window;

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
  const plans = window ? (request.at?.length ? request.at.map((at) => planTarget(at, window)) : windowPoints(window, request.points ?? 1)) : [];
  const unproved = window && !request.at?.length ? unprovedWindow(window) : undefined;
  if (unproved) problems.push(unproved);
  const targets =
    reading && intact.failure === undefined ? await restoresToPoints(plans, reading, intact, (at) => restorePass(artifact, true, mount, at), log) : undefined;
  problems.push(...(targets?.flatMap((entry) => (entry.problem ? [entry.problem] : [])) ?? []));
  const damaged = await damagedRestore(artifact, intact, restorePass, archive, scope, log);

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
    ...(window ? { window: { archive: archivePath!, ...window, readMs: reading!.readMs } } : {}),
    ...(targets ? { targets: targets.map(({ problem: _problem, ...entry }) => entry) } : {}),
    app,
    damaged,
    ...(drift ? { drift } : {}),
    verdict: verifyVerdict(problems, damaged),
    problems,
  };
}
