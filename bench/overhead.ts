// Benchmark: the harness's overhead over the physical floor of a recovery. For the matrix's
// recreate cells of PostgreSQL and MySQL (named volume, bind mount) it runs the cell's steps as
// the matrix does (start on the storage, write the dataset, stop, remove, create a new container,
// wait until ready, fingerprint) and sets each timed phase beside what it is physically made of,
// each floor read from one clock and never set against the harness's:
//   create + ready  the engine's `create` event to the server's ready line in its log (both the
//                   engine's clock: it stamps its events and a container's log lines alike);
//   verified        the fingerprint queries' own execution, from the server's statement log
//                   (PostgreSQL log_min_duration_statement=0, the statements between two marker
//                   statements in the log's order; MySQL's slow log with long_query_time=0).
// The harness's phases are its own monotonic clock. Overhead = recovery − floor.
// `npm run bench:overhead [-- --images local]` (BENCH_TRIALS, default 5; the image set as for
// `persist run`). Not a test: nothing here is asserted. The servers log every statement here,
// which a matrix cell does not ask of them.
import { standardDataset } from '../src/data/dataset.ts';
import { containerEvents, readLogs } from '../src/docker/containers.ts';
import { execIn } from '../src/docker/exec.ts';
import { newRunId } from '../src/docker/labels.ts';
import { RunScope, sweepRun } from '../src/docker/run-scope.ts';
import { SqlProbe } from '../src/probes/sql-probe.ts';
import { median } from '../src/report/stats.ts';
import type { ServiceTarget } from '../src/services/drivers.ts';
import { DATABASE_DRIVERS } from '../src/services/drivers.ts';
import { HarnessStack } from '../src/stack/harness-stack.ts';
import { dataLayoutOf } from '../src/storage/data-layout.ts';
import { prepareStorage, type StorageKind } from '../src/storage/placement.ts';
import { epochMs, stopwatch } from '../src/timing/clock.ts';
import { mysqlStatementMs, overheadOf, type PhaseFloor, postgresStatementMsBetween, startFloorMs, timedLines } from '../src/timing/floor.ts';
import { benchConfig, needImages, runBench } from './bench-kit.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const SLOW_LOG = '/tmp/persist-bench-statements.log';
const BEGIN = 'persist_bench_verify_begins';
const END = 'persist_bench_verify_ends';
/** Every statement's execution time in the server's own log. */
const STATEMENT_LOGGING: Record<string, string[]> = {
  postgres: ['-c', 'log_min_duration_statement=0'],
  mysql: ['--slow-query-log=ON', '--long-query-time=0', `--slow-query-log-file=${SLOW_LOG}`],
};
const CELLS: Array<{ target: ServiceTarget; storage: StorageKind }> = [DATABASE_DRIVERS.postgres, DATABASE_DRIVERS.mysql].flatMap((target) =>
  (['named-volume', 'bind-mount'] as const).map((storage) => ({ target, storage })),
);

/** The engine's time (ms) of the container's `create` event: the recovery's first moment on the engine's clock. */
async function createdAtMs(id: string, sinceEpochMs: number): Promise<number | undefined> {
  const events = await containerEvents(id, sinceEpochMs - 1_000, epochMs() + 1_000, ['create']);
  const created = events.at(-1);
  return created ? created.timeNano / 1e6 : undefined;
}

/** A statement PostgreSQL logs with its duration, from a client of its own: a mark in the log's order. */
async function markPostgresLog(id: string, mark: string): Promise<void> {
  const psql = `psql -X -q -U "\${POSTGRES_USER:-postgres}" -d "\${POSTGRES_DB:-\${POSTGRES_USER:-postgres}}" -c "SELECT 1 AS ${mark}"`;
  const result = await execIn(id, ['sh', '-c', psql]);
  if (result.exitCode !== 0) throw new Error(`could not mark the server's log: ${String(result.stderr).trim()}`);
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
  const recoveryBegan = epochMs(); // only to ask the engine for its events: never set against them
  const { createdMs } = await stack.replace(service, 'recreate');
  const ready = stopwatch();
  await probe.ready(stack);
  const readyMs = ready.ms();
  const id = stack.containerId(service);
  if (target.name === 'mysql') await execIn(id, ['sh', '-c', `: > ${SLOW_LOG}`]);
  else await markPostgresLog(id, BEGIN);
  const verify = stopwatch();
  await probe.fingerprint(stack);
  const verifiedMs = verify.ms();
  if (target.name === 'postgres') await markPostgresLog(id, END);
  await probe.release();
  const lines = timedLines(await readLogs(id, { timestamps: true }));
  const created = await createdAtMs(id, recoveryBegan);
  const statementsMs =
    target.name === 'mysql' ? mysqlStatementMs((await execIn(id, ['cat', SLOW_LOG])).stdout.toString('utf8')) : postgresStatementMsBetween(lines, BEGIN, END);
  return [
    {
      phase: 'create + ready',
      measuredMs: createdMs + readyMs,
      floorMs: created === undefined ? undefined : startFloorMs(created, lines, target.readyMarker),
      floorIs: "the engine's create event → the server's ready line (the engine's clock)",
    },
    { phase: 'verified', measuredMs: verifiedMs, floorMs: statementsMs, floorIs: "the statements' own execution (the server's figures)" },
  ];
}

function report(cell: string, trials: PhaseFloor[][]): void {
  const read = trials.filter((t) => overheadOf(t) !== undefined);
  const unread = trials.length - read.length;
  const rows = (['create + ready', 'verified'] as const).map((phase) => {
    const of = read.map((t) => t.find((p) => p.phase === phase)!);
    if (of.length === 0) return `  ${phase.padEnd(14)} floor not read in any trial`;
    const measured = median(of.map((p) => p.measuredMs));
    const floor = median(of.map((p) => Math.min(p.floorMs!, p.measuredMs)));
    return `  ${phase.padEnd(14)} ${measured.toFixed(0).padStart(6)} ms   floor ${floor.toFixed(0).padStart(6)} ms   overhead ${(measured - floor).toFixed(0).padStart(5)} ms   (${of[0]!.floorIs})`;
  });
  const totals = read.map((t) => overheadOf(t)!);
  const leftOut = unread > 0 ? `; ${unread} trial(s) left out: a floor could not be read from its clock` : '';
  const head =
    totals.length === 0
      ? `${cell}: no trial's floor could be read`
      : `${cell}: recovery ${median(totals.map((t) => t.recoveryMs)).toFixed(0)} ms, overhead ${median(totals.map((t) => t.overheadMs)).toFixed(0)} ms (${median(totals.map((t) => t.overheadPercent)).toFixed(1)} % median of ${totals.length} trials${leftOut})`;
  process.stdout.write(`${head}\n${rows.join('\n')}\n`);
}

await runBench('bench:overhead', async () => {
  const config = benchConfig();
  await needImages(config, ['postgres', 'mysql']);
  process.stdout.write(`images: ${config.imageSet} (${config.images.postgres.reference}, ${config.images.mysql.reference}); ${TRIALS} trials per cell\n`);
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
});
