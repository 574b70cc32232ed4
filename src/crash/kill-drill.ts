// The crash drill: writers commit one row per transaction as fast as they can while the
// server is killed with SIGKILL (`docker kill`); a new container starts on the same storage,
// and every acknowledged write must be there. Written after Jepsen's set checker: the harness
// records on the host what the database acknowledged, then counts lost, unexpected and
// recovered writes. With durability relaxed on purpose, the same kill must lose some.
import { inspectContainer, logsOnceReady, mappedPort, removeContainer } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { progress } from '../progress.ts';
import type { CellResult, KillFacts, Outcome, Phase } from '../report/model.ts';
import { recoveryOf } from '../report/stats.ts';
import type { TrialRecord } from '../drill/assemble.ts';
import { type ImageDrillContext, identify, runDrill } from '../drill/drill.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { prepareStorage, type StorageKind } from '../storage/placement.ts';
import type { DatabaseConnection, DatabaseTarget } from '../targets/target.ts';
import { waitUntilReady } from '../targets/wait-ready.ts';
import { countLedgerWhenReady, startWriteLoad } from './write-load.ts';
import { sleep, stopwatch } from '../timing/clock.ts';

/** Concurrent writers, so that the kill lands with several commits in flight. */
const WRITERS = 4;
const WRITE_BEFORE_KILL_MS = 1_500;

export interface KillSpec {
  scenario: string;
  target: DatabaseTarget;
  storage: StorageKind;
  durability: KillFacts['durability'];
  expected: Outcome;
  /** Durable server settings other than the drill's defaults, named for the report (Redis's appendfsync always). */
  setting?: { name: string; serverArgs: string[] };
}

export type KillContext = ImageDrillContext;

export function killId(spec: Pick<KillSpec, 'target' | 'storage' | 'durability' | 'setting'>): string {
  return `${spec.target.name}/${spec.storage}/kill/${spec.durability}${spec.setting ? `-${spec.setting.name}` : ''}`;
}

export async function runKillDrill(spec: KillSpec, context: KillContext, stopEarly?: (record: TrialRecord) => boolean): Promise<CellResult> {
  const identity = identify(
    {
      target: spec.target.name,
      storage: spec.storage,
      disruption: 'kill',
      variant: spec.setting ? `${spec.durability}-${spec.setting.name}` : spec.durability,
    },
    {
      scenario: spec.scenario,
      title: `${spec.target.displayName} on ${spec.storage}, SIGKILL under load (${spec.setting?.name ?? (spec.durability === 'durable' ? 'default durability' : spec.target.relaxedDurability.description.split(':')[0])})`,
      expected: spec.expected,
    },
  );
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(spec, context, trial, scope), stopEarly }, context);
}

async function runTrial(spec: KillSpec, context: KillContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const { target } = spec;
  const say = (step: string) => progress(`${killId(spec)}: trial ${trial}: ${step}`);
  const serverArgs = spec.setting?.serverArgs ?? (spec.durability === 'relaxed' ? target.relaxedDurability.serverArgs : []);
  const placement = await prepareStorage(spec.storage, await dataLayoutOf(context.image.reference, target.dataPaths), scope);
  const args = serverArgs.length > 0 ? serverArgs : (target.drillServerArgs ?? []);
  const why = spec.durability === 'relaxed' ? ` (${target.relaxedDurability.description})` : '';
  const evidence = [
    `storage: ${placement.description}`,
    args.length > 0 ? `server arguments: ${args.join(' ')}${why}` : "server defaults (the image's own settings)",
  ];
  const start = async () => {
    const started = await placement
      .applyTo(target.container(context.image.reference, placement.serverDataDir, serverArgs))
      .withLabels(scope.labels(killId(spec)))
      .start();
    scope.trackContainer(started.getId());
    return started;
  };
  const connect = async (id: string, host: string): Promise<DatabaseConnection> => waitUntilReady(target, id, host, await mappedPort(id, target.port));

  const first = await start();
  const host = first.getHost();
  const setup = await connect(first.getId(), host);
  const serverVersion = await setup.serverVersion();
  const load = await startWriteLoad(setup, () => connect(first.getId(), host), WRITERS);
  await setup.close();
  say(`${WRITERS} writers committing; SIGKILL in ${WRITE_BEFORE_KILL_MS} ms`);
  await sleep(WRITE_BEFORE_KILL_MS);
  await docker().getContainer(first.getId()).kill({ signal: 'SIGKILL' });
  const ledger = await load.stop();
  const killed = await inspectContainer(first.getId());
  evidence.push(
    `docker kill: exit code ${killed.exitCode} (137 is SIGKILL); ${ledger.acknowledged.length} writes acknowledged, ${ledger.unknown.length} in flight`,
  );

  // A new container on the same storage, as after a crash and a redeploy.
  const phasesMs: Partial<Record<Phase, number>> = {};
  await removeContainer(first.getId());
  let clock = stopwatch();
  const second = await start();
  phasesMs.create = clock.ms();
  const { writes, readyMs, verifiedMs } = await countLedgerWhenReady(() => connect(second.getId(), host), ledger);
  phasesMs.ready = readyMs;
  phasesMs.verified = verifiedMs;
  const logs = await logsOnceReady(second.getId(), target.readyMarker);
  const crashRecovery = target.crashRecoveryMarkers.some((marker) => marker.test(logs));
  evidence.push(
    `after the kill: ${writes.acknowledged} acknowledged, ${writes.present} present, ${writes.lost} lost, ${writes.unexpected} unexpected, ${writes.recovered} of ${ledger.unknown.length} in-flight writes present`,
    crashRecovery
      ? 'the new container ran crash recovery'
      : target.logsCrashRecovery
        ? 'the new container did NOT report crash recovery'
        : `the new container loaded the data files as after a stop (${target.displayName} logs no crash recovery after a kill)`,
  );
  const observed: Outcome = writes.lost === 0 && writes.unexpected === 0 ? 'survives' : 'lost';
  say(`${observed}: ${writes.lost} of ${writes.acknowledged} acknowledged writes lost (expected ${spec.expected})`);
  return {
    outcome: {
      trial,
      observed,
      reinitialised: target.initialisationMarkers.some((marker) => marker.test(logs)),
      cleanShutdown: false,
      differences: writes.lost > 0 ? [`${writes.lost} acknowledged writes lost`] : [],
    },
    matches: observed === spec.expected,
    kill: { durability: spec.durability, serverArgs, writers: WRITERS, writes, lostPerTrial: [writes.lost], crashRecovery },
    timing: { trial, phasesMs, recoveryMs: recoveryOf(phasesMs) },
    before: { ledger: { present: true, rows: writes.acknowledged, contentHash: null } },
    after: { ledger: { present: true, rows: writes.present, contentHash: null } },
    rowsLost: writes.lost,
    rowsUnexpected: writes.unexpected,
    imageId: (await inspectContainer(second.getId())).imageId,
    serverVersion,
    evidence,
  };
}
