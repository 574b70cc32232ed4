// Benchmark: the harness's overhead over the physical floor of a recovery. For the matrix's
// recreate cells of PostgreSQL and MySQL (named volume, bind mount) it runs the cell's steps as
// the matrix does (start on the storage, write the dataset, stop, remove, create a new container,
// wait until ready, fingerprint) and sets each timed phase beside what it is physically made of:
//   create    the engine's own create and start (its `create` and `start` event timestamps);
//   ready     the server's own start on existing data, from its timestamped log: the part of
//             "first line → ready" still to come when the create phase returned;
//   verified  the fingerprint queries' own execution, from the server's statement log
//             (PostgreSQL log_min_duration_statement=0, MySQL's slow log with long_query_time=0).
// Overhead = recovery − those. `npm run bench:overhead` (BENCH_TRIALS, default 5; PERSIST_IMAGES
// as for a run). Not a test: nothing here is asserted. The servers log every statement here,
// which a matrix cell does not ask of them.
import { loadConfig } from '../src/config.ts';
import { standardDataset } from '../src/data/dataset.ts';
import { execIn } from '../src/docker/exec.ts';
import { newRunId } from '../src/docker/labels.ts';
import { RunScope, sweepRun } from '../src/docker/run-scope.ts';
import { SqlProbe } from '../src/probes/sql-probe.ts';
import { median } from '../src/report/stats.ts';
import { HarnessStack } from '../src/stack/harness-stack.ts';
import { dataLayoutOf } from '../src/storage/data-layout.ts';
import { prepareStorage, type StorageKind } from '../src/storage/placement.ts';
import type { ServiceTarget } from '../src/services/drivers.ts';
import { DATABASE_DRIVERS } from '../src/services/drivers.ts';
import { epochMs, stopwatch } from '../src/timing/clock.ts';
import { mysqlStatementMs, overheadOf, type PhaseFloor, postgresStatementMs, serverStartMs, timedLines } from '../src/timing/floor.ts';
import { containerEvents, readLogs } from '../src/docker/containers.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const SLOW_LOG = '/tmp/persist-bench-statements.log';
/** Every statement's execution time in the server's own log. */
const STATEMENT_LOGGING: Record<string, string[]> = {
  postgres: ['-c', 'log_min_duration_statement=0'],
  mysql: ['--slow-query-log=ON', '--long-query-time=0', `--slow-query-log-file=${SLOW_LOG}`],
};
const CELLS: Array<{ target: ServiceTarget; storage: StorageKind }> = [DATABASE_DRIVERS.postgres, DATABASE_DRIVERS.mysql].flatMap((target) =>
  (['named-volume', 'bind-mount'] as const).map((storage) => ({ target, storage })),
);

/** The engine's timestamps (ms) of a container's events between two moments, by action. */
async function engineEvents(id: string, sinceMs: number, untilMs: number): Promise<Map<string, number>> {
  const events = await containerEvents(id, sinceMs - 1_000, untilMs + 1_000);
  return new Map(events.map((event) => [event.Action ?? event.status ?? '', event.timeNano / 1e6]));
}

interface Boundaries {
  createStart: number;
  createEnd: number;
  verifyStart: number;
  verifyEnd: number;
}

/** The cell's steps up to the removal; returns what the timed recovery needs. */
async function prepared(target: ServiceTarget, storage: StorageKind, image: string, scope: RunScope) {
  const placement = await prepareStorage(storage, await dataLayoutOf(image, target.dataPaths), scope);
  const service = target.name;
  const define = () => placement.applyTo(target.container(image, placement.serverDataDir, STATEMENT_LOGGING[target.name]));
  const stack = await HarnessStack.start(scope, `overhead-${target.name}-${storage}`, { [service]: define });
  const probe = new SqlProbe(target, standardDataset(), service);
  await probe.ready(stack);
  await probe.seed(stack);
  await probe.release();
  await stack.stop(service);
  return { stack, probe, service };
}

async function trial(target: ServiceTarget, storage: StorageKind, image: string, scope: RunScope): Promise<PhaseFloor[]> {
  const { stack, probe, service } = await prepared(target, storage, image, scope);
  const { createdMs } = await stack.replace(service, 'recreate');
  const at: Partial<Boundaries> = { createEnd: epochMs() };
  at.createStart = (at.createEnd ?? 0) - createdMs;
  const ready = stopwatch();
  await probe.ready(stack);
  const readyMs = ready.ms();
  const id = stack.containerId(service);
  if (target.name === 'mysql') await execIn(id, ['sh', '-c', `: > ${SLOW_LOG}`]);
  at.verifyStart = epochMs();
  const verify = stopwatch();
  await probe.fingerprint(stack);
  const verifiedMs = verify.ms();
  at.verifyEnd = epochMs();
  await probe.release();
  return floors(target, id, { ...(at as Boundaries) }, { createdMs, readyMs, verifiedMs });
}

async function floors(
  target: ServiceTarget,
  id: string,
  at: Boundaries,
  measured: { createdMs: number; readyMs: number; verifiedMs: number },
): Promise<PhaseFloor[]> {
  const events = await engineEvents(id, at.createStart, at.verifyEnd);
  const lines = timedLines(await readLogs(id, { timestamps: true }));
  const start = serverStartMs(lines, target.readyMarker);
  const engineMs = (events.get('start') ?? 0) - (events.get('create') ?? 0);
  const serverMs = start ? start.readyMs - start.firstMs : 0;
  const stillToComeMs = start ? Math.max(0, start.readyMs - at.createEnd) : 0;
  const statementsMs =
    target.name === 'mysql'
      ? mysqlStatementMs((await execIn(id, ['cat', SLOW_LOG])).stdout.toString('utf8'))
      : postgresStatementMs(lines, at.verifyStart, at.verifyEnd + 1_000);
  return [
    { phase: 'create', measuredMs: measured.createdMs, floorMs: engineMs, floorIs: 'the engine: its create → start events' },
    {
      phase: 'ready',
      measuredMs: measured.readyMs,
      floorMs: stillToComeMs,
      floorIs: `the server's start (first line → ready: ${serverMs.toFixed(0)} ms) still to come when create returned`,
    },
    { phase: 'verified', measuredMs: measured.verifiedMs, floorMs: statementsMs, floorIs: "the statements' own execution" },
  ];
}

function report(cell: string, trials: PhaseFloor[][]): void {
  const rows = (['create', 'ready', 'verified'] as const).map((phase) => {
    const of = trials.map((t) => t.find((p) => p.phase === phase)!);
    const measured = median(of.map((p) => p.measuredMs));
    const floor = median(of.map((p) => Math.min(p.floorMs, p.measuredMs)));
    return `  ${phase.padEnd(9)} ${measured.toFixed(0).padStart(6)} ms   floor ${floor.toFixed(0).padStart(6)} ms   overhead ${(measured - floor).toFixed(0).padStart(5)} ms   (${of[0]!.floorIs})`;
  });
  const totals = trials.map(overheadOf);
  const recovery = median(totals.map((t) => t.recoveryMs));
  const overhead = median(totals.map((t) => t.overheadMs));
  process.stdout.write(
    `${cell}: recovery ${recovery.toFixed(0)} ms, overhead ${overhead.toFixed(0)} ms (${median(totals.map((t) => t.overheadPercent)).toFixed(1)} % median of ${trials.length} trials)\n${rows.join('\n')}\n`,
  );
}

const config = loadConfig();
const runId = newRunId();
const root = new RunScope(runId);
try {
  for (const { target, storage } of CELLS) {
    const results: PhaseFloor[][] = [];
    for (let n = 0; n < TRIALS; n += 1) {
      const scope = root.child();
      try {
        results.push(await trial(target, storage, config.images[target.image].reference, scope));
      } finally {
        await scope.dispose();
      }
    }
    report(`${target.displayName} on ${storage}, recreate`, results);
  }
} finally {
  await sweepRun(runId);
}
