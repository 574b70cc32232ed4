// `persist verify`'s work: read the artifact (its hash, its format), restore it into a throwaway
// server of the service's image, count what came back and run the expectations, then restore a
// damaged copy the same way, which must fail. The artifact is only read, before and after.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { docker, ensureImage, inspectImage } from '../docker/engine.ts';
import { HarnessError, UsageError } from '../errors.ts';
import {
  type ArtifactFormat,
  type ArtifactHead,
  type ArtifactKit,
  type DataDirectoryFiller,
  artifactKitOf,
  knownFormats,
  recogniseArtifact,
  type RestoreOutcome,
  type RestoreStep,
  type RunInServer,
  type TableCount,
} from '../services/artifact-kits.ts';
import { storageProfile } from '../services/registry.ts';
import { epochMs, round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactHead, artifactStream, describeArtifact } from './artifact-file.ts';
import { damagedCopy } from './damage.ts';
import { type DriftThresholds, driftProblems, verifyDrift } from './drift.ts';
import { type DataAge, type ExpectationResult, judgeFreshness, judgeQuery, type VerifySettings } from './expectations.ts';
import { runIn, type ServerSetup, startThrowaway, untilAnswering, untilSettled } from './throwaway-server.ts';
import { execa } from 'execa';
import { RUN_LABEL } from '../docker/labels.ts';
import { runRestoreCommand } from './restore-command.ts';
import { REPOSITORIES, type Repository, snapshotRoot } from './repositories.ts';
import { componentsToStrip, extractTar, filesInVolume, judgeFile, placeFile, tarEntries, VOLUME_TAR, type VolumeHelper, volumeHelper } from './volume-tar.ts';
import { judgeDamagedCopy, type PassOutcome, problemsOf, verifyVerdict } from './verify-verdict.ts';

/** The server to restore into, and what the restored data must hold. */
export interface VerifyTarget {
  /** The service's name in the user's project, when verify read it from there. */
  service: string | null;
  setup: ServerSetup;
  settings: VerifySettings;
  /** The registry's image choice was made by the stand-in set: a missing image is built, not pulled. */
  standIn: boolean;
  /** The registry's service the image is, if it knows it: its kit asks the restored server. */
  recognisedAs: string | undefined;
  /** Where the service keeps its data (a volume's tar is extracted there): given, or the one the project or image names. */
  dataPath: string | undefined;
  /** Where the user's own restore command runs: the project's folder, or the current one. */
  directory: string;
  /** The image persist extracts and looks through volumes with (a stand-in is built, not pulled). */
  helperImage: { reference: string; standIn: boolean };
}

export interface VerifyRequest {
  from: string;
  format?: string;
  /** `--baseline`: an earlier verification of this backup, and how far this one may drift from it. */
  baseline?: { runId: string; verify: Pick<Verify, 'tables' | 'recoveryMs'>; limits: DriftThresholds };
  /** `--restore`: the user's own restore command, which takes the place of persist's. */
  restoreCommand?: string;
  /** The server for the service the artifact is a backup of (its registry name; undefined for a volume's tar, which any service's can be). */
  target: (service: string | undefined) => Promise<VerifyTarget>;
}

/** A backup that cannot be verified as given: one sentence, exit 2. */
export class ArtifactUnusableError extends HarnessError {}

type Log = (line: string) => void;

interface Pass extends PassOutcome {
  restore: RestoreOutcome | null;
  /** A volume's restored files. */
  files: { count: number; bytes: number } | null;
  serverVersion: string | null;
  phases: Verify['phases'];
}

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
  {
    throw new ArtifactUnusableError(
      `${path} is not a backup of a format persist knows (${formatIds().join(', ')}).`,
      'Name its format with --format if it is one of them, or restore it with your own `restore` command.',
    );
  }
}

async function answer(query: () => Promise<string | undefined>): Promise<{ value: string | undefined } | { error: string }> {
  try {
    return { value: await query() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const EMPTY = { tables: [], expectations: [], dataAge: null, restore: null, files: null };

/** Where no kit can ask the server: an expectation on its rows cannot hold. */
const cannotQuery = async (): Promise<string | undefined> => {
  throw new Error('persist cannot query this image (it is no database persist knows)');
};

/** What the restored data must hold, asked of the server through its kit and of the files through the helper. */
async function checkRestored(
  kit: ArtifactKit | undefined,
  run: RunInServer | undefined,
  database: string | undefined,
  settings: VerifySettings,
  files?: VolumeHelper,
): Promise<Pick<Pass, 'tables' | 'expectations' | 'dataAge'> | { failure: string }> {
  // A restored server that cannot even list its tables has not given the data back.
  const listed = kit && run ? await answer(async () => JSON.stringify(await kit.tables(run))) : { value: '[]' };
  if ('error' in listed) return { failure: `the restored data could not be read: ${listed.error}` };
  const tables = JSON.parse(listed.value ?? '[]') as TableCount[];
  // Where the restore did not say: the one database that holds tables (a volume's data, a dump of all).
  const holding = [...new Set(tables.map((table) => table.database))];
  const fallback = database ?? (holding.length === 1 ? holding[0] : undefined);
  const query = (sql: string, named: string | undefined) => (kit && run ? () => kit.value(run, sql, named ?? fallback) : cannotQuery);
  const expectations: ExpectationResult[] = [];
  for (const expectation of settings.expect ?? []) {
    if ('sql' in expectation) expectations.push(judgeQuery(expectation, await answer(query(expectation.sql, expectation.database))));
    else if (files) expectations.push(await judgeFile(files, expectation.file));
    else
      expectations.push({ expectation: `${expectation.file} exists`, observed: "a file expectation needs a volume's tar, not a database dump", passed: false });
  }
  const fresh = settings.fresh;
  const dataAge: DataAge | null = fresh ? judgeFreshness(fresh, await answer(query(fresh.sql, fresh.database)), epochMs()) : null;
  return { tables, expectations, dataAge };
}

/** One restore of a dump into a new server of the image, and everything checked on it. */
async function restoreDump(
  kit: ArtifactKit,
  format: string,
  artifact: ArtifactFacts,
  head: ArtifactHead,
  target: VerifyTarget,
  scope: RunScope,
  intact: boolean,
): Promise<Pass> {
  const phases: Verify['phases'] = [];
  const started = stopwatch();
  const environment = { ...target.setup.environment, ...kit.throwawayEnvironment(target.setup.environment) };
  const server = await startThrowaway({ ...target.setup, environment }, scope);
  const notAnswering = await untilAnswering(server, kit.readyCommand);
  phases.push({ phase: 'start', ms: round(started.ms()) });
  if (notAnswering) return { ...EMPTY, failure: `the server did not start: ${notAnswering}`, serverVersion: null, phases };
  const run = runIn(server, (): Readable => artifactStream(artifact));
  const serverVersion = await kit.serverVersion(run);
  const unreadable = intact ? kit.unreadable?.(format, head, serverVersion) : undefined;
  if (unreadable) throw new ArtifactUnusableError(unreadable, '');
  const restoring = stopwatch();
  const restore = await kit.restore(run, format, { head, read: () => artifactStream(artifact) });
  phases.push({ phase: 'restore', ms: round(restoring.ms()) });
  const failedStep = restore.steps.find((step) => !step.ok);
  if (failedStep) return { ...EMPTY, restore, failure: `\`${failedStep.command}\` failed (${failedStep.detail ?? 'no detail'})`, serverVersion, phases };
  const checking = stopwatch();
  const checked = await checkRestored(kit, run, restore.database, target.settings);
  phases.push({ phase: 'checks', ms: round(checking.ms()) });
  if ('failure' in checked) return { ...EMPTY, restore, failure: checked.failure, serverVersion, phases };
  return { ...EMPTY, failure: undefined, restore, ...checked, serverVersion, phases };
}

/** The one path a volume's data goes to: given, the project's one mount, the image's one VOLUME, or where the registry knows the service keeps it. */
async function dataPathOf(target: VerifyTarget): Promise<string> {
  const declared = (await inspectImage(target.setup.image))?.volumes ?? [];
  const known = storageProfile(target.recognisedAs).dataDir;
  const found = target.dataPath ?? (declared.length === 1 ? declared[0] : known?.startsWith('/') ? known : undefined);
  if (found === undefined)
    throw new UsageError(
      `persist cannot tell where ${target.setup.image} keeps its data (its VOLUMEs: ${declared.join(', ') || 'none'}).`,
      'Name the path the tar is of with --data-path.',
    );
  return found;
}

/** Puts the artifact into the new volume: a tar extracted, or the one file the server loads at start. */
type Fill = (helper: VolumeHelper, artifact: ArtifactFacts, volume: string) => Promise<RestoreStep[]>;

async function extractVolumeTar(helper: VolumeHelper, artifact: ArtifactFacts, dataPath: string): Promise<RestoreStep> {
  const entries = await tarEntries(artifactStream(artifact)).catch((error: Error) => error);
  if (entries instanceof Error) return { command: 'reading the tar', ok: false, detail: `the artifact could not be read to its end: ${entries.message}` };
  return extractTar(helper, artifactStream(artifact), componentsToStrip(entries, dataPath));
}

/** The artifact folder's tars, each extracted by the helper into the new data directory as the kit says. */
function dataDirectoryFiller(helper: VolumeHelper, folder: string, head: Extract<ArtifactHead, { shape: 'directory' }>): DataDirectoryFiller {
  return {
    names: head.names,
    extract: (name, below) => {
      const compression = name.endsWith('.gz') ? 'gzip' : name.endsWith('.zst') ? 'zstd' : 'none';
      return extractTar(helper, artifactStream({ path: join(folder, name), compression }), 0, below);
    },
  };
}

/** The repository's newest snapshot, restored by its tool into the scratch folder, then into the volume from the folder its data starts at. */
async function restoreRepository(repository: Repository, path: string, helper: VolumeHelper, scratch: string): Promise<RestoreStep[]> {
  const restored = await repository.restoreLatest(path, scratch);
  if (!restored.ok) return [restored];
  const root = await snapshotRoot(scratch);
  // Through a tar in the scratch folder: owners and modes travel as the snapshot kept them.
  const tarFile = `${scratch}.tar`;
  const packed = await execa('tar', ['-c', '--numeric-owner', '-f', tarFile, '-C', root, '.'], { reject: false });
  if (packed.exitCode !== 0) return [restored, { command: `tar -c -C ${root} .`, ok: false, detail: `exit ${packed.exitCode}: ${packed.stderr}` }];
  const extracted = await extractTar(helper, createReadStream(tarFile), 0);
  await rm(tarFile, { force: true });
  return [restored, extracted];
}

/** One restore into a new volume (a volume's tar, a server's own data file), the service started on it, everything checked. */
async function restoreIntoVolume(format: string, artifact: ArtifactFacts, target: VerifyTarget, dataPath: string, scope: RunScope, fill: Fill): Promise<Pass> {
  const phases: Verify['phases'] = [];
  const kit = artifactKitOf(target.recognisedAs);
  const restoring = stopwatch();
  const volume = await scope.createVolume('verify-data');
  const helper = await volumeHelper(scope, target.helperImage.reference, volume);
  const steps = await fill(helper, artifact, volume);
  phases.push({ phase: 'restore', ms: round(restoring.ms()) });
  const restore: RestoreOutcome = { steps, integrity: [] };
  const failedStep = steps.find((step) => !step.ok);
  if (failedStep) return { ...EMPTY, restore, failure: `\`${failedStep.command}\` failed (${failedStep.detail ?? 'no detail'})`, serverVersion: null, phases };
  const files = await filesInVolume(helper);
  const started = stopwatch();
  const environment = { ...target.setup.environment, ...(kit?.throwawayEnvironment(target.setup.environment) ?? {}) };
  const server = await startThrowaway({ ...target.setup, environment, binds: [`${volume}:${dataPath}`] }, scope);
  const notAnswering = kit ? await untilAnswering(server, kit.readyCommand) : await untilSettled(server);
  phases.push({ phase: 'start', ms: round(started.ms()) });
  if (notAnswering)
    return { ...EMPTY, restore, files, failure: `the service did not start on the restored data: ${notAnswering}`, serverVersion: null, phases };
  const run = kit ? runIn(server, () => artifactStream(artifact)) : undefined;
  const serverVersion = kit && run ? await kit.serverVersion(run).catch(() => null) : null;
  if (kit?.integrity && run) restore.integrity.push(...(await kit.integrity(run, format)));
  const checking = stopwatch();
  const checked = await checkRestored(kit, run, undefined, target.settings, helper);
  phases.push({ phase: 'checks', ms: round(checking.ms()) });
  if ('failure' in checked) return { ...EMPTY, restore, files, failure: checked.failure, serverVersion, phases };
  const emptyBecause = kit?.whyEmpty && run && checked.tables.every((table) => table.rows === 0) ? await kit.whyEmpty(run, format) : undefined;
  return { ...EMPTY, failure: undefined, restore, files, ...checked, serverVersion, phases, ...(emptyBecause ? { emptyBecause } : {}) };
}

async function imageIdentity(reference: string): Promise<{ id: string | null; digest: string | null }> {
  const info = await docker()
    .getImage(reference)
    .inspect()
    .catch(() => undefined);
  return { id: info?.Id ?? null, digest: info?.RepoDigests?.[0]?.split('@')[1] ?? null };
}

export async function runVerify(request: VerifyRequest, scope: RunScope, log: Log): Promise<Verify> {
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
  const format = found.format;
  await ensureImage(target.setup.image, target.standIn);
  const dataPath = found.kind === 'dump' ? undefined : await dataPathOf(target);
  if (dataPath) await ensureImage(target.helperImage.reference, target.helperImage.standIn);
  log(`verify: ${format.title} (${artifact.bytes.toLocaleString('en')} bytes), restored into ${target.setup.image}${dataPath ? ` at ${dataPath}` : ''}`);
  const fill: Fill =
    found.kind === 'placed' && found.format.fillsDataDirectory
      ? async (helper, facts) =>
          found.kit.fill!(format.id, dataDirectoryFiller(helper, facts.path, (await artifactHead(facts)) as Extract<ArtifactHead, { shape: 'directory' }>))
      : found.kind === 'placed'
        ? async (helper, facts) => [await placeFile(helper, artifactStream(facts), found.format.placeAs!)]
        : found.kind === 'repository'
          ? async (helper, facts) => restoreRepository(found.format, facts.path, helper, await scope.createHostFolder('verify-restore'))
          : found.kind === 'command'
            ? async (_helper, facts, volume) => [
                await runRestoreCommand(restoreCommand!, {
                  artifact: facts.path,
                  volume,
                  dataPath: dataPath!,
                  image: target.setup.image,
                  label: `${RUN_LABEL}=${scope.runId}`,
                  cwd: target.directory,
                }),
              ]
            : async (helper, facts) => [await extractVolumeTar(helper, facts, dataPath!)];
  const restorePass = (facts: ArtifactFacts, intact: boolean) =>
    found.kind === 'dump'
      ? restoreDump(found.kit, format.id, facts, head, target, scope, intact)
      : restoreIntoVolume(format.id, facts, target, dataPath!, scope, fill);

  const intact = await restorePass(artifact, true);
  const allowEmpty = target.settings.allowEmpty === true;
  const problems = problemsOf(intact, allowEmpty, found.kind === 'volume' || found.kind === 'repository' || found.kind === 'command');
  // The tool's own reading of every byte, apart from the recovery it is not part of.
  if (found.kind === 'repository' && intact.failure === undefined)
    intact.restore?.integrity.push(await found.format.check(artifact.path, await scope.createHostFolder('verify-check')));
  let damaged: Verify['damaged'] = null;
  // A restore that already fails has shown it can fail: its damaged copy would prove nothing more.
  if (intact.failure === undefined) {
    const copy = await damagedCopy(artifact, await scope.createHostFolder('verify-damaged'));
    log(`verify: the damaged copy (${copy.how})`);
    const damagedFacts: ArtifactFacts = { ...artifact, path: copy.path };
    const damagedPass = await restorePass(damagedFacts, false);
    damaged = { how: copy.how, ...judgeDamagedCopy(intact, damagedPass) };
  }

  const after = await describeArtifact(request.from);
  const unchanged = after.sha256 === artifact.sha256 && after.modifiedMs === artifact.modifiedMs;
  if (!unchanged) problems.push('The artifact changed while it was verified (its sha256 or modification time): something else wrote to it; verify it again.');
  const phases: Verify['phases'] = [{ phase: 'hash', ms: hashMs }, ...intact.phases];
  const recoveryMs = round(intact.phases.reduce((sum, phase) => sum + phase.ms, 0));
  const drift = request.baseline
    ? verifyDrift({ runId: request.baseline.runId, ...request.baseline.verify }, { tables: intact.tables, recoveryMs }, request.baseline.limits)
    : undefined;
  if (drift) problems.push(...driftProblems(drift));
  const identity = await imageIdentity(target.setup.image);
  return {
    artifact: {
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
    },
    service: target.service,
    image: { reference: target.setup.image, ...identity, serverVersion: intact.serverVersion },
    phases,
    recoveryMs,
    restore: { passed: intact.restore !== null && intact.failure === undefined, steps: intact.restore?.steps ?? [] },
    integrity: intact.restore?.integrity ?? [],
    database: intact.restore?.database ?? null,
    dataPath: dataPath ?? null,
    files: intact.files,
    tables: intact.tables,
    expectations: intact.expectations,
    allowEmpty,
    dataAge: intact.dataAge,
    damaged,
    ...(drift ? { drift } : {}),
    verdict: verifyVerdict(problems, damaged),
    problems,
  };
}
