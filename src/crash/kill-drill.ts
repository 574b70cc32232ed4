// The crash drill: writers commit one row per transaction as fast as they can while the
// server is killed with SIGKILL (`docker kill`); a new container starts on the same storage,
// and every acknowledged write must be there. Written after Jepsen's set checker: the harness
// records on the host what the database acknowledged, then counts lost, unexpected and
// recovered writes. With durability relaxed on purpose, the same kill must lose some.
import { logsOnceReady } from '../docker/containers.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { AcknowledgedWrites, CellResult, KillFacts, Outcome } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import { afterCrashOutcome, type TrialRecord } from '../drill/assemble.ts';
import { type DrillSpec, type ImageDrillContext, identify, placeId, type ResultPlace, runDrill } from '../drill/drill.ts';
import type { StorageKind } from '../storage/placement.ts';
import { prepareTrialStorage } from '../drill/trial-storage.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import { PhaseTimer, sleep } from '../timing/clock.ts';

/** Concurrent writers, so that the kill lands with several commits in flight. */
const WRITERS = 4;
const WRITE_BEFORE_KILL_MS = 1_500;

export interface KillSpec extends DrillSpec {
  target: DatabaseTarget;
  storage: StorageKind;
  durability: KillFacts['durability'];
  /** Durable server settings other than the drill's defaults, named for the report (Redis's appendfsync always). */
  setting?: { name: string; serverArgs: string[] };
}

export type KillContext = ImageDrillContext;

function killPlace(spec: Pick<KillSpec, 'target' | 'storage' | 'durability' | 'setting'>): ResultPlace {
  const variant = spec.setting ? `${spec.durability}-${spec.setting.name}` : spec.durability;
  return { target: spec.target.name, storage: spec.storage, disruption: 'kill', variant };
}

export function killId(spec: Pick<KillSpec, 'target' | 'storage' | 'durability' | 'setting'>): string {
  return placeId(killPlace(spec));
}

export async function runKillDrill(spec: KillSpec, context: KillContext, stopEarly?: (record: TrialRecord) => boolean): Promise<CellResult> {
  const identity = identify(killPlace(spec), {
    scenario: spec.scenario,
    title: `${spec.target.displayName} on ${spec.storage}, SIGKILL under load (${spec.setting?.name ?? (spec.durability === 'durable' ? 'default durability' : spec.target.relaxedDurability.description.split(':')[0])})`,
    expected: spec.expected,
  });
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope), stopEarly }, context);
}

async function runTrial(spec: KillSpec, context: KillContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target } = spec;
  const say = (step: string) => progress(`${killId(spec)}: trial ${trial}: ${step}`);
  const serverArgs = spec.setting?.serverArgs ?? (spec.durability === 'relaxed' ? target.relaxedDurability.serverArgs : []);
  const { placement, initialised } = await prepareTrialStorage(target, spec.storage, context, scope);
  const args = serverArgs.length > 0 ? serverArgs : (target.drillServerArgs ?? []);
  const why = spec.durability === 'relaxed' ? ` (${target.relaxedDurability.description})` : '';
  const evidence = [
    `storage: ${placement.description}`,
    ...(initialised ? [initialised] : []),
    args.length > 0 ? `server arguments: ${args.join(' ')}${why}` : "server defaults (the image's own settings)",
  ];
  const service = target.name;
  const define = () => placement.applyTo(target.container(context.image.reference, placement.serverDataDir, serverArgs));
  const stack = await HarnessStack.start(scope, killId(spec), { [service]: define });
  const probe = new SqlProbe(target);

  const serverVersion = await probe.serverVersion(stack);
  const load = await probe.ledger.startWriters(stack, WRITERS);
  say(`${WRITERS} writers committing; SIGKILL in ${WRITE_BEFORE_KILL_MS} ms`);
  await sleep(WRITE_BEFORE_KILL_MS);
  await stack.kill(service, 'SIGKILL');
  const ledger = await load.stop();
  const killed = await stack.inspect(service);
  evidence.push(
    `docker kill: exit code ${killed.exitCode} (137 is SIGKILL); ${ledger.acknowledged.length} writes acknowledged, ${ledger.unknown.length} in flight`,
  );

  // A new container on the same storage, as after a crash and a redeploy (the removal is not timed).
  const timer = new PhaseTimer();
  timer.add('create', (await stack.replace(service, 'recreate')).createdMs);
  const { writes, readyMs, verifiedMs } = await probe.ledger.count(stack, ledger);
  timer.add('ready', readyMs);
  timer.add('verified', verifiedMs);
  const logs = await logsOnceReady(stack.containerId(service), target.readyMarker);
  const crashRecovery = target.crashRecoveryMarkers.some((marker) => marker.test(logs));
  evidence.push(
    `after the kill: ${writes.acknowledged} acknowledged, ${writes.present} present, ${writes.lost} lost, ${writes.unexpected} unexpected, ${writes.recovered} of ${ledger.unknown.length} in-flight writes present`,
    describeRecovery(target, crashRecovery),
  );
  const observed = judgeKill(writes);
  say(`${observed}: ${writes.lost} of ${writes.acknowledged} acknowledged writes lost (expected ${spec.expected})`);
  const phasesMs = timer.phasesMs;
  return {
    outcome: afterCrashOutcome(trial, observed, target.initialisationMarkers, logs, writes.lost),
    matches: observed === spec.expected,
    details: { kind: 'kill', durability: spec.durability, serverArgs, writers: WRITERS, writes, lostPerTrial: [writes.lost], crashRecovery },
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { ledger: { present: true, rows: writes.acknowledged, contentHash: null } },
    after: { ledger: { present: true, rows: writes.present, contentHash: null } },
    rowsLost: writes.lost,
    rowsUnexpected: writes.unexpected,
    imageId: (await stack.inspect(service)).imageId,
    serverVersion,
    evidence,
  };
}

/** Every acknowledged write present, and none that was never written: Jepsen's set checker. */
export function judgeKill(writes: Pick<AcknowledgedWrites, 'lost' | 'unexpected'>): Outcome {
  return writes.lost === 0 && writes.unexpected === 0 ? 'survives' : 'lost';
}

function describeRecovery(target: DatabaseTarget, crashRecovery: boolean): string {
  if (crashRecovery) return 'the new container ran crash recovery';
  if (target.logsCrashRecovery) return 'the new container did NOT report crash recovery';
  return `the new container loaded the data files as after a stop (${target.displayName} logs no crash recovery after a kill)`;
}
