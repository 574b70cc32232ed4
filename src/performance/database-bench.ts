// pgbench and sysbench on one storage type: per trial a new server container with its data
// on that storage (the drills' placements, checked against what the engine mounted), the
// benchmark's dataset written, its size taken, then the timed run with the server's block I/O.
// A tuning variant changes only how the container is started, as the seed's flags do.
import type { GenericContainer } from 'testcontainers';
import type { RunScope } from '../docker/run-scope.ts';
import { HarnessError } from '../errors.ts';
import { progress } from '../progress.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { HarnessStack } from '../stack/harness-stack.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { prepareStorage, requirePlaced, type StorageKind } from '../storage/placement.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';
import { BenchContainer } from './bench-container.ts';
import { type BlockIoBytes, blockIo, blockIoBetween } from './engine-accounting.ts';
import type { BenchContext } from './fio-bench.ts';
import type { MetricDefinition, Readings } from './metrics.ts';
import { spaceUsed, type SpaceFigure } from './space.ts';

/** A benchmark tool's steps against a running server: write its dataset, then the timed run. */
export interface DatabaseBenchmark {
  tool: 'pgbench' | 'sysbench';
  metrics: MetricDefinition[];
  prepare(server: BenchServer, context: BenchContext): Promise<void>;
  run(server: BenchServer, context: BenchContext): Promise<Readings>;
}

export interface BenchServer {
  stack: HarnessStack;
  scope: RunScope;
  containerId: string;
  login: { user: string; password: string; database: string };
}

/** How the seed's tuning flags change the container: extra server arguments, or the container's own settings. */
export interface Variant {
  name: string;
  serverArgs?: string[];
  adjust?: (container: GenericContainer) => GenericContainer;
}

export const DEFAULTS: Variant = { name: 'defaults' };

export interface DatabaseTrial {
  readings: Readings;
  space: SpaceFigure;
  io: BlockIoBytes;
}

function loginOf(target: DatabaseTarget): BenchServer['login'] {
  const { PERSIST_DB_USER: user, PERSIST_DB_PASSWORD: password, PERSIST_DB_NAME: database } = target.procedureEnv;
  if (!user || password === undefined || !database)
    throw new HarnessError(`${target.displayName} has no login for benchmarks.`, 'This is a harness bug; please report it.');
  return { user, password, database };
}

export async function databaseTrial(
  target: DatabaseTarget,
  benchmark: DatabaseBenchmark,
  kind: StorageKind,
  variant: Variant,
  image: string,
  context: BenchContext,
  scope: RunScope,
): Promise<DatabaseTrial> {
  const placement = await prepareStorage(kind, await dataLayoutOf(image, target.dataPaths), scope);
  const define = () => {
    const container = placement.applyTo(target.container(image, placement.serverDataDir, variant.serverArgs ?? []));
    return variant.adjust ? variant.adjust(container) : container;
  };
  const stack = await HarnessStack.start(scope, `performance-${benchmark.tool}-${kind}-${variant.name}`, { server: define });
  requirePlaced(placement, await stack.inspect('server'), 'The server');
  const probe = new SqlProbe(target, undefined, 'server');
  await probe.serverVersion(stack);
  await probe.release();
  const server: BenchServer = { stack, scope, containerId: stack.containerId('server'), login: loginOf(target) };
  progress(`performance: ${benchmark.tool} on ${kind} (${variant.name}): writing its dataset`);
  await benchmark.prepare(server, context);
  const space = await spaceUsed(placement, server.containerId);
  const before = await blockIo(server.containerId);
  progress(`performance: ${benchmark.tool} on ${kind} (${variant.name}): running`);
  const readings = await benchmark.run(server, context);
  return { readings, space, io: blockIoBetween(before, await blockIo(server.containerId)) };
}

/** The bench image inside the server's network namespace: sysbench reaches the server on 127.0.0.1. */
export async function benchBeside(server: BenchServer, image: string): Promise<string> {
  const define = () => new BenchContainer(image).withNetworkMode(`container:${server.containerId}`);
  const stack = await HarnessStack.start(server.scope, 'performance-sysbench-client', { bench: define });
  return stack.containerId('bench');
}
