// The seed's performance section, measured on this engine and disk: fio, pgbench and sysbench
// on each storage type, its tuning flags with and without, the space and block I/O the seed's
// monitoring commands show. A throttled disk must be seen: a benchmark that cannot see a 20×
// slowdown proves nothing. Figures are reported, never asserted: the suite runs the quick size.
import { beforeAll, describe, test } from 'vitest';
import { inspectImage } from '../src/docker/engine.ts';
import { negativeControl } from '../src/drill/control.ts';
import { benchmarkContext } from '../src/performance/context.ts';
import { benchDatabase, benchTuning } from '../src/performance/database-runs.ts';
import { benchFio } from '../src/performance/fio-bench.ts';
import { PGBENCH, sysbench } from '../src/performance/benchmarks.ts';
import { engineMachineFacts } from '../src/performance/engine-accounting.ts';
import { tuningOf } from '../src/performance/tunings.ts';
import { METRICS } from '../src/performance/metrics.ts';
import { throttleControl, throttleResult } from '../src/performance/throttle.ts';
import { preflight, proveControl, recordPerformance, scenarioKit } from '../src/scenario-kit.ts';
import { STORAGE_KINDS } from '../src/storage/placement.ts';
import { DATABASE_DRIVERS } from '../src/services/drivers.ts';

const SCENARIO = 'performance';
const STORAGE = STORAGE_KINDS.map((storage) => ({ storage }));

beforeAll(() => preflight(['bench', 'postgres', 'mysql']));

describe('fio on each storage type', () => {
  test.for(STORAGE)('$storage', async ({ storage }, { task }) => {
    const part = await benchFio(storage, benchmarkContext());
    if (storage === 'named-volume') part.machine = { ...part.machine, ...(await engineMachineFacts()) };
    recordPerformance(task.meta, part);
  });
});

describe('PostgreSQL pgbench on each storage type', () => {
  test.for(STORAGE)('$storage', async ({ storage }, { task }) => {
    const { config } = scenarioKit();
    recordPerformance(task.meta, await benchDatabase(DATABASE_DRIVERS.postgres, PGBENCH, storage, config.images.postgres.reference, benchmarkContext()));
  });
});

describe('MySQL sysbench oltp_write_only on each storage type', () => {
  test.for(STORAGE)('$storage', async ({ storage }, { task }) => {
    const { config } = scenarioKit();
    const context = benchmarkContext();
    recordPerformance(task.meta, await benchDatabase(DATABASE_DRIVERS.mysql, sysbench(context.benchImage), storage, config.images.mysql.reference, context));
  });
});

describe("the seed's tuning flags, with and without, on a named volume", () => {
  test('PostgreSQL: --shm-size=1g and --tmpfs /tmp', async ({ task }) => {
    const { config } = scenarioKit();
    recordPerformance(
      task.meta,
      await benchTuning(DATABASE_DRIVERS.postgres, PGBENCH, tuningOf('postgres', METRICS.pgbenchTps), config.images.postgres.reference, benchmarkContext()),
    );
  });

  test('MySQL: --innodb-buffer-pool-size=1G', async ({ task }) => {
    const { config } = scenarioKit();
    const context = benchmarkContext();
    recordPerformance(
      task.meta,
      await benchTuning(DATABASE_DRIVERS.mysql, sysbench(context.benchImage), tuningOf('mysql', METRICS.sysbenchTps), config.images.mysql.reference, context),
    );
  });
});

describe('negative control: a disk throttled to a twentieth must measure as throttled', () => {
  test('fio 4 KiB O_DIRECT writes under --device-write-iops', async ({ task }) => {
    const context = benchmarkContext();
    const facts = await throttleControl(context);
    recordPerformance(task.meta, { throttle: facts });
    const image = await inspectImage(context.benchImage);
    const cell = throttleResult(facts, SCENARIO, { reference: context.benchImage, id: image?.id ?? 'unknown' });
    const sabotage = `--device-write-iops ${facts.device}:${facts.limitIops}, a twentieth of the ${facts.unthrottledIops} IOPS measured without it`;
    proveControl(task.meta, negativeControl(cell, { title: 'a throttled disk', sabotage, observed: 'any', caughtWhen: () => facts.caught }));
  });
});
