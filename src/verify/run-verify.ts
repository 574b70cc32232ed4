// `persist verify`'s work: read the artifact (its hash, its format), restore it into a throwaway
// server of the service's image, count what came back and run the expectations, then restore a
// damaged copy the same way, which must fail. The artifact is only read, before and after.
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { docker, ensureImage } from '../docker/engine.ts';
import { HarnessError, UsageError } from '../errors.ts';
import { type ArtifactHead, type ArtifactKit, knownFormats, recogniseArtifact, type RestoreOutcome, type TableCount } from '../services/artifact-kits.ts';
import { epochMs, round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactHead, artifactStream, describeArtifact } from './artifact-file.ts';
import { damagedCopy } from './damage.ts';
import { type DataAge, type ExpectationResult, judgeFreshness, judgeQuery, type VerifySettings } from './expectations.ts';
import { runIn, type ServerSetup, startThrowaway, untilAnswering } from './throwaway-server.ts';
import { judgeDamagedCopy, type PassOutcome, problemsOf, verifyVerdict } from './verify-verdict.ts';

/** The server to restore into, and what the restored data must hold. */
export interface VerifyTarget {
  /** The service's name in the user's project, when verify read it from there. */
  service: string | null;
  setup: ServerSetup;
  settings: VerifySettings;
  /** The registry's image choice was made by the stand-in set: a missing image is built, not pulled. */
  standIn: boolean;
}

export interface VerifyRequest {
  from: string;
  format?: string;
  /** The server for the recognised service (its registry name). */
  target: (service: string) => Promise<VerifyTarget>;
}

/** A backup that cannot be verified as given: one sentence, exit 2. */
export class ArtifactUnusableError extends HarnessError {}

type Log = (line: string) => void;

interface Pass extends PassOutcome {
  restore: RestoreOutcome | null;
  serverVersion: string | null;
  phases: Verify['phases'];
}

async function existing(path: string): Promise<void> {
  await stat(path).catch(() => {
    throw new UsageError(`There is no file or folder at ${path}.`, 'Give --from the backup file (or folder) to verify.');
  });
}

function recognised(head: ArtifactHead, path: string, format: string | undefined) {
  if (format !== undefined && !knownFormats().includes(format))
    throw new UsageError(`--format ${format} is not a format persist restores.`, `Use one of: ${knownFormats().join(', ')}.`);
  const found = recogniseArtifact(head, format);
  if (!found)
    throw new ArtifactUnusableError(
      `${path} is not a backup of a format persist knows (${knownFormats().join(', ')}).`,
      'Name its format with --format if it is one of them, or restore it with your own `restore` command.',
    );
  return found;
}

async function answer(query: () => Promise<string | undefined>): Promise<{ value: string | undefined } | { error: string }> {
  try {
    return { value: await query() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** One restore of `artifact` into a new server, and everything checked on it. */
async function restorePass(
  kit: ArtifactKit,
  format: string,
  artifact: ArtifactFacts,
  head: ArtifactHead,
  target: VerifyTarget,
  scope: RunScope,
  intact: boolean,
): Promise<Pass> {
  const phases: Verify['phases'] = [];
  const empty = { tables: [], expectations: [], dataAge: null, restore: null };
  const started = stopwatch();
  const environment = { ...target.setup.environment, ...kit.throwawayEnvironment(target.setup.environment) };
  const server = await startThrowaway({ ...target.setup, environment }, scope);
  const notAnswering = await untilAnswering(server, kit.readyCommand);
  phases.push({ phase: 'start', ms: round(started.ms()) });
  if (notAnswering) return { ...empty, failure: `the server did not start: ${notAnswering}`, serverVersion: null, phases };
  const run = runIn(server, (): Readable => artifactStream(artifact));
  const serverVersion = await kit.serverVersion(run);
  const unreadable = intact ? kit.unreadable?.(format, head, serverVersion) : undefined;
  if (unreadable) throw new ArtifactUnusableError(unreadable, '');
  const restoring = stopwatch();
  const restore = await kit.restore(run, format, { head, read: () => artifactStream(artifact) });
  phases.push({ phase: 'restore', ms: round(restoring.ms()) });
  const failedStep = restore.steps.find((step) => !step.ok);
  if (failedStep) return { ...empty, restore, failure: `\`${failedStep.command}\` failed (${failedStep.detail ?? 'no detail'})`, serverVersion, phases };
  const checking = stopwatch();
  // A restored server that cannot even list its tables has not given the data back.
  const listed = await answer(async () => JSON.stringify(await kit.tables(run)));
  if ('error' in listed) return { ...empty, restore, failure: `the restored data could not be read: ${listed.error}`, serverVersion, phases };
  const tables = JSON.parse(listed.value ?? '[]') as TableCount[];
  const expectations: ExpectationResult[] = [];
  for (const expectation of target.settings.expect ?? []) {
    if ('sql' in expectation)
      expectations.push(judgeQuery(expectation, await answer(() => kit.value(run, expectation.sql, expectation.database ?? restore.database))));
    else
      expectations.push({ expectation: `${expectation.file} exists`, observed: 'a file expectation needs a volume tar, not a database dump', passed: false });
  }
  const fresh = target.settings.fresh;
  const dataAge: DataAge | null = fresh
    ? judgeFreshness(fresh, await answer(() => kit.value(run, fresh.sql, fresh.database ?? restore.database)), epochMs())
    : null;
  phases.push({ phase: 'checks', ms: round(checking.ms()) });
  return { failure: undefined, restore, tables, expectations, dataAge, serverVersion, phases };
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
  const { service, kit, format } = recognised(head, request.from, request.format);
  const target = await request.target(service);
  await ensureImage(target.setup.image, target.standIn);
  log(`verify: ${format.title} (${artifact.bytes.toLocaleString('en')} bytes), restored into ${target.setup.image}`);

  const intact = await restorePass(kit, format.id, artifact, head, target, scope, true);
  const allowEmpty = target.settings.allowEmpty === true;
  const problems = problemsOf(intact, allowEmpty);
  let damaged: Verify['damaged'] = null;
  // A restore that already fails has shown it can fail: its damaged copy would prove nothing more.
  if (intact.failure === undefined) {
    const copy = await damagedCopy(artifact, await scope.createHostFolder('verify-damaged'));
    log(`verify: the damaged copy (${copy.how})`);
    const damagedFacts: ArtifactFacts = { ...artifact, path: copy.path };
    const damagedPass = await restorePass(kit, format.id, damagedFacts, head, target, scope, false);
    damaged = { how: copy.how, ...judgeDamagedCopy(intact, damagedPass) };
  }

  const after = await describeArtifact(request.from);
  const unchanged = after.sha256 === artifact.sha256 && after.modifiedMs === artifact.modifiedMs;
  if (!unchanged) problems.push('The artifact changed while it was verified (its sha256 or modification time): something else wrote to it; verify it again.');
  const phases: Verify['phases'] = [{ phase: 'hash', ms: hashMs }, ...intact.phases];
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
    recoveryMs: round(intact.phases.reduce((sum, phase) => sum + phase.ms, 0)),
    restore: { passed: intact.restore !== null && intact.failure === undefined, steps: intact.restore?.steps ?? [] },
    integrity: intact.restore?.integrity ?? [],
    database: intact.restore?.database ?? null,
    tables: intact.tables,
    expectations: intact.expectations,
    allowEmpty,
    dataAge: intact.dataAge,
    damaged,
    verdict: verifyVerdict(problems, damaged),
    problems,
  };
}
