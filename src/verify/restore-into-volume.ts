// The restores that fill a new volume before the service starts on it: a volume's tar, a file the
// server loads at start, a data directory a kit fills, a backup tool's snapshot, the user's own
// command. The service is then started on the volume and its data checked.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { inspectImage } from '../docker/engine.ts';
import { runOneShot } from '../docker/one-shot.ts';
import { UsageError } from '../errors.ts';
import {
  type ArtifactHead,
  type ArtifactKit,
  type DataDirectoryFiller,
  type Filled,
  artifactKitOf,
  type RestoreOutcome,
  type RestoreStep,
  type RunInServer,
} from '../services/artifact-kits.ts';
import { restoreStep, unreadToTheEnd } from '../services/restore-step.ts';
import { storageProfile } from '../services/registry.ts';
import { round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactStream } from './artifact-file.ts';
import { runIn, startThrowaway, untilAnswering, untilSettled } from './throwaway-server.ts';
import { execa } from 'execa';
import { type Repository, snapshotRoot } from './repositories.ts';
import { componentsToStrip, extractTar, filesInVolume, placeFile, tarEntries, type VolumeHelper, volumeHelper } from './volume-tar.ts';
import { checkRestored, checksMs, EMPTY, type Pass, type VerifyTarget } from './restore-pass.ts';

/** The one path a volume's data goes to: given, the project's one mount, the image's one VOLUME, or where the registry knows the service keeps it. */
export async function dataPathOf(target: VerifyTarget): Promise<string> {
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
export type Fill = (helper: VolumeHelper, artifact: ArtifactFacts, volume: string) => Promise<Filled>;

export async function extractVolumeTar(helper: VolumeHelper, artifact: ArtifactFacts, dataPath: string): Promise<RestoreStep> {
  const entries = await tarEntries(artifactStream(artifact)).catch((error: Error) => error);
  if (entries instanceof Error) return { command: 'reading the tar', ok: false, detail: unreadToTheEnd(entries) };
  return extractTar(helper, artifactStream(artifact), componentsToStrip(entries, dataPath));
}

/** Where a kit's one-off container of the service's image sees the artifact folder. */
const ARTIFACT_AT = '/persist-artifact';
/** Where `--archive`'s folder is mounted read-only, in the one-off containers and the server alike. */
export const ARCHIVE_AT = '/persist-archive';

/** The new volume, where the service keeps its data, and the image a kit's one-off container runs. */
export interface FillTarget {
  scope: RunScope;
  image: string;
  volume: string;
  dataPath: string;
  /** The service's own environment, over the image's ENV. */
  environment: Readonly<Record<string, string>>;
  /** `--archive`: the continuous archive's folder on this machine, which the data must replay. */
  archive?: string;
  /** `--at`: the instant the replay stops at. */
  recoveryTarget?: string;
}

/** The artifact folder's files, each extracted or copied by the helper into the new data directory as the kit says. */
export function dataDirectoryFiller(
  helper: VolumeHelper,
  folder: string,
  head: Extract<ArtifactHead, { shape: 'directory' }>,
  target: FillTarget,
): DataDirectoryFiller {
  return {
    names: head.names,
    dataPath: target.dataPath,
    artifactPath: ARTIFACT_AT,
    environment: target.environment,
    ...(target.archive ? { archivePath: ARCHIVE_AT } : {}),
    ...(target.recoveryTarget ? { recoveryTarget: target.recoveryTarget } : {}),
    async inServerImage(script) {
      const binds = [`${target.volume}:${target.dataPath}`, `${folder}:${ARTIFACT_AT}:ro`, ...(target.archive ? [`${target.archive}:${ARCHIVE_AT}:ro`] : [])];
      const result = await runOneShot(target.scope, { image: target.image, script, binds, purpose: 'verify-tool' });
      return { exitCode: result.exitCode, output: result.logs };
    },
    extract: (name, below) => {
      const compression = name.endsWith('.gz') ? 'gzip' : name.endsWith('.zst') ? 'zstd' : 'none';
      return extractTar(helper, artifactStream({ path: join(folder, name), compression }), 0, below);
    },
    place: (name, at) => placeFile(helper, artifactStream({ path: join(folder, name), compression: 'none' }), at),
  };
}

/** The repository's newest snapshot, restored by its tool into the scratch folder, then into the volume from the folder its data starts at. */
export async function restoreRepository(repository: Repository, path: string, helper: VolumeHelper, scratch: string): Promise<Filled> {
  const restored = await repository.restoreLatest(path, scratch);
  if (!restored.ok) return { steps: [restored] };
  const root = await snapshotRoot(scratch);
  // Through a tar in the scratch folder: owners and modes travel as the snapshot kept them.
  const tarFile = `${scratch}.tar`;
  const packed = await execa('tar', ['-c', '--numeric-owner', '-f', tarFile, '-C', root, '.'], { reject: false });
  if (packed.exitCode !== 0) return { steps: [restored, restoreStep(`tar -c -C ${root} .`, packed)] };
  const extracted = await extractTar(helper, createReadStream(tarFile), 0);
  await rm(tarFile, { force: true });
  return { steps: [restored, extracted] };
}

/** The command a format's artifact is loaded with, where the kit names one (`--image` only: a service's own command wins). */
function startCommandOf(target: VerifyTarget, format: string): string[] | null {
  const named = artifactKitOf(target.recognisedAs)?.formats.find((candidate) => candidate.id === format)?.startCommand;
  return named ? [...named] : null;
}

/** `--archive`'s folder (the intact one, or its damaged copy), and where its replay starts. */
export interface ArchiveMount {
  path: string;
  replayFrom: string;
  /** `--at`, or a point of the window: the instant (RFC 3339) the replay stops at; without it, the archive's end. */
  at?: string;
}

/** The archive fed to the running server, timed as its own phase. */
async function replayInto(
  run: RunInServer,
  replay: NonNullable<NonNullable<ArtifactKit['archive']>['replay']>,
  archive: ArchiveMount,
  phases: Verify['phases'],
): Promise<RestoreStep> {
  const replaying = stopwatch();
  const step = await replay(run, { archivePath: ARCHIVE_AT, replayFrom: archive.replayFrom, ...(archive.at ? { at: archive.at } : {}) });
  phases.push({ phase: 'replay', ms: round(replaying.ms()) });
  return step;
}

/** One restore into a new volume (a volume's tar, a server's own data file), the service started on it, everything checked. */
export async function restoreIntoVolume(
  format: string,
  artifact: ArtifactFacts,
  target: VerifyTarget,
  dataPath: string,
  scope: RunScope,
  fill: Fill,
  archive?: ArchiveMount,
): Promise<Pass> {
  const phases: Verify['phases'] = [];
  const kit = artifactKitOf(target.recognisedAs);
  const restoring = stopwatch();
  const volume = await scope.createVolume('verify-data');
  const helper = await volumeHelper(scope, target.helperImage.reference, volume);
  const { steps, integrity = [], integrityMs = 0 } = await fill(helper, artifact, volume);
  phases.push({ phase: 'restore', ms: round(restoring.ms() - integrityMs) });
  const restore: RestoreOutcome = { steps, integrity };
  const failedStep = steps.find((step) => !step.ok);
  if (failedStep) return { ...EMPTY, restore, failure: `\`${failedStep.command}\` failed (${failedStep.detail ?? 'no detail'})`, serverVersion: null, phases };
  const files = await filesInVolume(helper);
  const started = stopwatch();
  const environment = { ...target.setup.environment, ...(kit?.throwawayEnvironment(target.setup.environment) ?? {}) };
  const command = target.setup.command ?? (target.service === null ? startCommandOf(target, format) : null);
  const binds = [`${volume}:${dataPath}`, ...(archive ? [`${archive.path}:${ARCHIVE_AT}:ro`] : [])];
  const server = await startThrowaway({ ...target.setup, environment, command, binds }, scope);
  // Replaying an archive, the server may answer long before it has replayed it all and promoted.
  const ready = archive && kit?.archive ? kit.archive.replayedCommand : kit?.readyCommand;
  const notAnswering = ready ? await untilAnswering(server, ready) : await untilSettled(server);
  phases.push({ phase: 'start', ms: round(started.ms()) });
  if (notAnswering)
    return { ...EMPTY, restore, files, failure: `the service did not start on the restored data: ${notAnswering}`, serverVersion: null, phases };
  const run = kit ? runIn(server, () => artifactStream(artifact)) : undefined;
  // A server that does not replay the archive itself is fed it now, before anything is counted.
  const replay = archive && kit?.archive?.replay && run ? await replayInto(run, kit.archive.replay, archive, phases) : undefined;
  if (replay && !replay.ok)
    return {
      ...EMPTY,
      restore: { ...restore, steps: [...steps, replay] },
      files,
      failure: `\`${replay.command}\` failed (${replay.detail ?? 'no detail'})`,
      serverVersion: null,
      phases,
    };
  if (replay) restore.steps.push(replay);
  const serverVersion = kit && run ? await kit.serverVersion(run).catch(() => null) : null;
  // How far it replayed, as the server says: read before the checks, outside every phase.
  const replayed = archive && kit?.archive && run ? await kit.archive.replayed(run, archive.replayFrom).catch(() => null) : null;
  if (kit?.integrity && run) restore.integrity.push(...(await kit.integrity(run, format)));
  const checking = stopwatch();
  const checked = await checkRestored(kit, run, { database: undefined, format, roles: [] }, target.settings, helper);
  phases.push({ phase: 'checks', ms: checksMs(checking.ms(), 'inventory' in checked ? checked.inventory : null) });
  if ('failure' in checked) return { ...EMPTY, restore, files, failure: checked.failure, serverVersion, phases };
  const emptyBecause = kit?.whyEmpty && run && checked.tables.every((table) => table.rows === 0) ? await kit.whyEmpty(run, format) : undefined;
  return {
    ...EMPTY,
    failure: undefined,
    restore,
    files,
    ...checked,
    serverVersion,
    phases,
    serverId: server.id,
    ...(emptyBecause ? { emptyBecause } : {}),
    ...(replayed ? { replayed } : {}),
  };
}
