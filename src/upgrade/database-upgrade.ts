// The database upgrade drill: data written with the old image, a graceful stop, then the new
// image started on the same volume, mounted where the old one was (as a user edits the tag in
// a compose file and nothing else). What the new server did with the old data is reported in
// its own words: upgraded it in place, refused it, or started empty beside it. Where it refused,
// the documented path is proven instead: a dump with the old server restored into the new one.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpgradePair } from '../config.ts';
import { standardDataset, type Dataset } from '../data/dataset.ts';
import { compareFingerprints, type Fingerprint, type FingerprintComparison } from '../data/fingerprint.ts';
import { inspectContainer, logsOnceReady, readLogs, removeContainer, stopGracefully, whenNotRunning } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { inspectImage } from '../docker/engine.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import type { Stack } from '../stack/stack.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, Outcome, Phase, UpgradeFacts } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { type DrillContext, identify, placeId, type ResultPlace, runDrill } from '../drill/drill.ts';
import { dumpToFile, restoreFromFile } from '../targets/logical-dump.ts';
import { shutdownLoggedClean } from '../targets/shutdown-evidence.ts';
import type { DatabaseConnection, DatabaseTarget } from '../stack/database-target.ts';
import { ContainerExitedError } from '../targets/wait-ready.ts';
import { classifyInPlace, refusalMessages, runUpgradeStep, upgradeMessages } from './upgrade-observe.ts';
import { dataLayoutOf, whereDataLives } from '../storage/data-layout.ts';
import { PhaseTimer, stopwatch } from '../timing/clock.ts';

/** From the harness's request to create and start the new version until the engine's wait returned its exit. */
const REFUSAL_MEASUREMENT = 'in place: from the start until the server exited';

/** Smaller than the matrix's dataset: the drill starts four servers per trial. */
const UPGRADE_ROWS = 2_000;

export interface DatabaseUpgradeSpec {
  scenario: string;
  target: DatabaseTarget;
  pair: UpgradePair;
  /** Where in place fails, prove the dump and restore path (off for the re-initialisation control). */
  dumpRestoreFallback: boolean;
}

export type UpgradeContext = DrillContext;

function upgradePlace(spec: Pick<DatabaseUpgradeSpec, 'target' | 'pair'>): ResultPlace {
  return { target: spec.target.name, storage: 'named-volume', disruption: 'upgrade', variant: spec.pair.name };
}

export function upgradeId(spec: Pick<DatabaseUpgradeSpec, 'target' | 'pair'>): string {
  return placeId(upgradePlace(spec));
}

export async function runDatabaseUpgrade(spec: DatabaseUpgradeSpec, context: UpgradeContext): Promise<CellResult> {
  const identity = identify(upgradePlace(spec), {
    scenario: spec.scenario,
    title: `${spec.target.displayName}: ${spec.pair.from} → ${spec.pair.to} on the same volume`,
    expected: 'survives',
  });
  return runDrill({ identity, image: spec.pair.to, runTrial: (trial, scope) => runTrial(spec, trial, scope) }, context);
}

/** Starting servers of the pair on a volume, mounted where the image documents its data. */
interface Servers {
  create(image: string, volume: string): Promise<string>;
  connect(id: string): Promise<DatabaseConnection>;
}

/** What every step of one trial shares. */
interface Trial {
  spec: DatabaseUpgradeSpec;
  scope: RunScope;
  servers: Servers;
  /** Where the volume is mounted: where the old image keeps its data, as a user's setup does across the swap. */
  mounted: string;
  tables: string[];
  timer: PhaseTimer;
  evidence: string[];
  say: (step: string) => void;
}

async function runTrial(spec: DatabaseUpgradeSpec, trial: number, scope: RunScope): Promise<TrialRecord> {
  const mounted = (await dataLayoutOf(spec.pair.from, spec.target.dataPaths)).dataMount;
  const dataset = standardDataset(UPGRADE_ROWS);
  const t: Trial = {
    spec,
    scope,
    servers: makeServers(spec, scope, mounted),
    mounted,
    tables: dataset.tables.map((table) => table.name),
    timer: new PhaseTimer(),
    evidence: [],
    say: (step) => progress(`${upgradeId(spec)}: trial ${trial}: ${step}`),
  };
  const old = await writeWithOld(t, dataset);
  const { facts, after: inPlaceAfter } = await startNewOnSameVolume(t, old);
  let after = inPlaceAfter;
  let serverVersion = facts.to.version ?? old.fromVersion;
  if (facts.inPlace === 'refused' && spec.dumpRestoreFallback && spec.target.logicalBackup) {
    const result = await dumpRestorePath(spec, scope, old.volume, t.tables, t.servers, t.say);
    // The path taken is what recovery measures: its create, ready and verified replace the refused attempt's.
    Object.assign(t.timer.phasesMs, result.phasesMs);
    after = result.after;
    serverVersion = facts.to.version = result.toVersion;
    facts.paths.serverDataDir = result.dataDir;
    const fingerprintEqual = JSON.stringify(old.before) === JSON.stringify(after);
    facts.dumpRestore = { dumpMs: result.phasesMs.backup ?? 0, restoreMs: result.phasesMs.restore ?? 0, bytes: result.bytes, fingerprintEqual };
    facts.path = 'dump-restore';
    t.evidence.push(...result.evidence);
  }
  const verdict = judgeUpgrade(old.before, after, facts.path);
  t.evidence.push(...verdict.comparison.differences);
  t.say(`${facts.inPlace} in place; ${verdict.observed === 'survives' ? `data on ${spec.pair.to} via ${facts.path}` : 'data NOT on the new version'}`);
  const { differences, rowsLost, rowsUnexpected } = verdict.comparison;
  return {
    outcome: { trial, observed: verdict.observed, reinitialised: facts.inPlace === 'reinitialised', cleanShutdown: old.stoppedCleanly, differences },
    matches: verdict.observed === 'survives',
    details: facts,
    timing: { trial, phasesMs: t.timer.phasesMs, recoveryMs: recoveryOf(t.timer.phasesMs) },
    measurements: t.timer.measurements,
    before: old.before,
    after,
    rowsLost,
    rowsUnexpected,
    imageId: (await inspectImage(spec.pair.to))?.id ?? 'unknown',
    serverVersion,
    evidence: t.evidence,
  };
}

/** The data is on the new version only when a path got it there and every table is the same. */
export function judgeUpgrade(before: Fingerprint, after: Fingerprint, path: UpgradeFacts['path']): { observed: Outcome; comparison: FingerprintComparison } {
  const comparison = compareFingerprints(before, after);
  const observed: Outcome = path !== 'none' && comparison.differences.length === 0 ? 'survives' : 'lost';
  return { observed, comparison };
}

/** Each server of the pair as a one-service stack on a volume; one that refuses the data exits at once and is kept for its log. */
function makeServers(spec: DatabaseUpgradeSpec, scope: RunScope, mounted: string): Servers {
  const stacks = new Map<string, Stack>();
  const probe = new SqlProbe(spec.target);
  const stackOf = (id: string): Stack => {
    const stack = stacks.get(id);
    if (!stack) throw new HarnessError(`No server of this drill has the container ${id.slice(0, 12)}.`, 'This is a harness bug; please report it.');
    return stack;
  };
  return {
    async create(image, volume) {
      const define = () => spec.target.container(image, undefined).withBindMounts([{ source: volume, target: mounted }]);
      const stack = await HarnessStack.start(scope, upgradeId(spec), { [spec.target.name]: define });
      const id = stack.containerId(spec.target.name);
      stacks.set(id, stack);
      return id;
    },
    connect: (id) => probe.connect(stackOf(id)),
  };
}

interface OldData {
  volume: string;
  before: Fingerprint;
  fromVersion: string;
  stoppedCleanly: boolean;
}

/** The old version, as the user runs it today: data written, then a graceful stop. */
async function writeWithOld(t: Trial, dataset: Dataset): Promise<OldData> {
  const { pair, target } = t.spec;
  const volume = await t.scope.createVolume(`${pair.name}-data`);
  t.say(`writing ${UPGRADE_ROWS} rows and more with ${pair.from}`);
  const oldId = await t.servers.create(pair.from, volume);
  const writer = await t.servers.connect(oldId);
  const fromVersion = await writer.serverVersion();
  await writer.write(dataset);
  const before = await writer.fingerprint(t.tables);
  await writer.close();
  t.evidence.push(`volume ${volume} mounted at ${t.mounted}; written with ${pair.from} (${fromVersion})`);
  const stopped = await t.timer.time('stop', () => stopGracefully(oldId));
  const stoppedCleanly = shutdownLoggedClean(target, await readLogs(oldId));
  t.evidence.push(`graceful stop: exit code ${stopped.exitCode}${stoppedCleanly ? ', clean shutdown logged' : ', NO clean shutdown in the log'}`);
  await removeContainer(oldId);
  return { volume, before, fromVersion, stoppedCleanly };
}

/** The new image on the same volume: what its server did with the old data, in its own words. */
async function startNewOnSameVolume(t: Trial, old: OldData): Promise<{ facts: UpgradeFacts; after: Fingerprint }> {
  const { pair, target } = t.spec;
  t.say(`starting ${pair.to} on the same volume`);
  const sinceStart = stopwatch();
  const newId = await t.timer.time('create', () => t.servers.create(pair.to, old.volume));
  // A server that refuses the data exits within milliseconds: the engine's wait tells the moment
  // (its own StartedAt and FinishedAt come from two clocks and can be in the wrong order).
  const exited = whenNotRunning(newId).then((how) => (how === 'exited' ? sinceStart.ms() : undefined));
  let upgraded: DatabaseConnection | undefined;
  try {
    upgraded = await t.timer.time('ready', () => t.servers.connect(newId));
  } catch (error) {
    // Exited: a refusal, told by the log below. Anything else is the harness's problem.
    if (!(error instanceof ContainerExitedError) && (await inspectContainer(newId)).running) throw error;
  }
  // A server that answered printed its ready line: wait for Docker to show it. One that exited has all its output in the log.
  const newLogs = upgraded === undefined ? await readLogs(newId) : await logsOnceReady(newId, target.readyMarker);
  const facts: UpgradeFacts = {
    kind: 'upgrade',
    pair: pair.name,
    from: { reference: pair.from, version: old.fromVersion },
    to: { reference: pair.to, version: null },
    inPlace: 'refused',
    serverMessages: [],
    paths: { mounted: t.mounted, serverDataDir: null },
    upgradeStep: null,
    path: 'none',
    dumpRestore: null,
  };
  const after =
    upgraded === undefined
      ? await observeRefusal(t, newId, newLogs, facts, await exited)
      : await observeInPlace(t, newId, upgraded, newLogs, facts, old.before);
  await removeContainer(newId);
  if (facts.inPlace === 'reinitialised') {
    const still = await reopenWithOld(t.servers, pair.from, old.volume, t.tables);
    t.evidence.push(`the old data is still in volume ${old.volume}: ${pair.from} opens it (${describeTables(still.fingerprint)})`);
    await removeContainer(still.id);
  }
  return { facts, after };
}

/** The refused server's exit, in its own words, and how long it ran until the engine saw it exit. */
async function observeRefusal(t: Trial, newId: string, newLogs: string, facts: UpgradeFacts, exitedAfterMs: number | undefined): Promise<Fingerprint> {
  const exit = await inspectContainer(newId);
  if (exitedAfterMs !== undefined) t.timer.record(REFUSAL_MEASUREMENT, 'harness', exitedAfterMs);
  else t.evidence.push("the engine's wait did not report the exit, so how long the refused server ran is not given");
  facts.serverMessages = refusalMessages(newLogs);
  t.evidence.push(`in place: REFUSED: ${t.spec.pair.to} exited with code ${exit.exitCode}: "${facts.serverMessages.join(' ') || 'no message'}"`);
  return {};
}

async function observeInPlace(
  t: Trial,
  newId: string,
  upgraded: DatabaseConnection,
  newLogs: string,
  facts: UpgradeFacts,
  before: Fingerprint,
): Promise<Fingerprint> {
  const { target } = t.spec;
  facts.to.version = await upgraded.serverVersion();
  const serverDataDir = await upgraded.dataDirectory();
  facts.paths.serverDataDir = serverDataDir;
  let after = await t.timer.time('verified', () => upgraded.fingerprint(t.tables));
  await upgraded.close();
  const initialised = target.initialisationMarkers.some((marker) => marker.test(newLogs));
  facts.inPlace = classifyInPlace({ before, after, initialised, mounted: t.mounted, serverDataDir });
  facts.serverMessages = upgradeMessages(newLogs, target);
  if (facts.inPlace === 'reinitialised') {
    const holder = whereDataLives(serverDataDir, (await inspectContainer(newId)).mounts);
    t.evidence.push(
      `data lost: the new container initialised a fresh data directory at ${serverDataDir} (${holder}), while the old data is mounted at ${t.mounted} and unused`,
    );
  } else {
    const what = facts.inPlace === 'upgraded' ? 'the new server runs on the old data' : 'the new server runs, but the data differs';
    t.evidence.push(`in place: ${what}: ${facts.to.version}, data directory ${serverDataDir}`);
    if (target.upgradeStep) {
      facts.upgradeStep = await runUpgradeStep(newId, target.upgradeStep);
      t.evidence.push(`upgrade step: ${facts.upgradeStep.summary}`);
      if (facts.upgradeStep.ran) after = await fingerprintAgain(t.servers.connect, newId, t.tables);
    }
    if (facts.inPlace === 'upgraded') facts.path = 'in-place';
  }
  if (facts.serverMessages.length > 0) t.evidence.push(`the new server's log: "${facts.serverMessages.join('" / "')}"`);
  return after;
}

async function fingerprintAgain(connect: (id: string) => Promise<DatabaseConnection>, id: string, tables: string[]): Promise<Fingerprint> {
  const connection = await connect(id);
  try {
    return await connection.fingerprint(tables);
  } finally {
    await connection.close();
  }
}

/** The old image started on the old volume again, and what it finds there; the container is left running. */
async function reopenWithOld(servers: Servers, image: string, volume: string, tables: string[]): Promise<{ id: string; fingerprint: Fingerprint }> {
  const id = await servers.create(image, volume);
  const reader = await servers.connect(id);
  try {
    return { id, fingerprint: await reader.fingerprint(tables) };
  } finally {
    await reader.close();
  }
}

function describeTables(fingerprint: Fingerprint): string {
  return Object.entries(fingerprint)
    .map(([table, fp]) => (fp.present ? `${table} ${fp.rows} rows` : `${table} absent`))
    .join(', ');
}

interface DumpRestoreResult {
  phasesMs: Partial<Record<Phase, number>>;
  after: Fingerprint;
  toVersion: string;
  dataDir: string;
  bytes: number;
  evidence: string[];
}

/** The documented major-upgrade path: the old server dumps, a new server on a new volume loads. */
async function dumpRestorePath(
  spec: DatabaseUpgradeSpec,
  scope: RunScope,
  oldVolume: string,
  tables: string[],
  servers: Servers,
  say: (step: string) => void,
): Promise<DumpRestoreResult> {
  const { target, pair } = spec;
  const logical = target.logicalBackup;
  if (logical === undefined)
    throw new HarnessError(
      `${target.displayName} has no dump and restore commands for the upgrade's fallback path.`,
      'Run this upgrade without the dump-and-restore fallback.',
    );
  const evidence: string[] = [];
  const phasesMs: Partial<Record<Phase, number>> = {};
  say(`dump with ${pair.from}, restore into ${pair.to}`);

  // The refused start must not have harmed the old data: the old server opens it again.
  const { id: oldId, fingerprint: intact } = await reopenWithOld(servers, pair.from, oldVolume, tables);
  const file = join(await scope.createHostFolder(`${pair.name}-dump`), `${target.name}-upgrade.sql`);
  let clock = stopwatch();
  await dumpToFile(oldId, logical, file);
  phasesMs.backup = clock.ms();
  const bytes = (await stat(file)).size;
  evidence.push(`old data intact after the refused start (${pair.from} opened it again: ${describeTables(intact)})`);
  evidence.push(`dump: docker exec OLD ${logical.dump.join(' ')} > ${target.name}-upgrade.sql (${bytes} bytes, ${phasesMs.backup} ms)`);
  await removeContainer(oldId);

  // The new server's first start on an empty volume: the create and ready phases of this path.
  const newVolume = await scope.createVolume(`${pair.name}-new-data`);
  clock = stopwatch();
  const freshId = await servers.create(pair.to, newVolume);
  phasesMs.create = clock.ms();
  clock = stopwatch();
  const fresh = await servers.connect(freshId);
  phasesMs.ready = clock.ms();
  const toVersion = await fresh.serverVersion();
  const dataDir = await fresh.dataDirectory();
  clock = stopwatch();
  await restoreFromFile(freshId, logical, file);
  phasesMs.restore = clock.ms();
  clock = stopwatch();
  const after = await fresh.fingerprint(tables);
  phasesMs.verified = clock.ms();
  await fresh.close();
  evidence.push(
    `restore: docker exec -i NEW ${logical.restore.join(' ')} < ${target.name}-upgrade.sql into ${toVersion} on a new volume ${newVolume} (${phasesMs.restore} ms)`,
  );
  return { phasesMs, after, toVersion, dataDir, bytes, evidence };
}
