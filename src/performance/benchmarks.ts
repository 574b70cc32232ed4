// The two database benchmarks as steps against a running server: pgbench in PostgreSQL's own
// container, sysbench from the bench image beside MySQL.
import { type BenchServer, benchBeside, type DatabaseBenchmark } from './database-bench.ts';
import { runTool } from './bench-exec.ts';
import { METRICS } from './metrics.ts';
import { PGBENCH_LOG_COMMAND, pgbenchInitCommand, pgbenchRunCommand, readPgbench } from './pgbench.ts';
import { readSysbench, sysbenchPrepareCommand, sysbenchRunCommand } from './sysbench.ts';

export const PGBENCH: DatabaseBenchmark = {
  tool: 'pgbench',
  metrics: [METRICS.pgbenchTps, METRICS.pgbenchLatency, METRICS.pgbenchP99],
  async prepare(server, context) {
    await runTool(server.containerId, pgbenchInitCommand(context.profile.pgbench, server.login.user, server.login.database), 'pgbench -i');
  },
  async run(server, context) {
    const summary = await runTool(server.containerId, pgbenchRunCommand(context.profile.pgbench, server.login.user, server.login.database), 'pgbench');
    return readPgbench(summary, await runTool(server.containerId, PGBENCH_LOG_COMMAND, "reading pgbench's transaction log"));
  },
};

/** The sysbench client started for a server, once per server. */
const clients = new WeakMap<BenchServer, Promise<string>>();

function clientFor(server: BenchServer, image: string): Promise<string> {
  let client = clients.get(server);
  if (!client) {
    client = benchBeside(server, image);
    clients.set(server, client);
  }
  return client;
}

export function sysbench(benchImage: string): DatabaseBenchmark {
  return {
    tool: 'sysbench',
    metrics: [METRICS.sysbenchTps, METRICS.sysbenchP95],
    async prepare(server, context) {
      await runTool(await clientFor(server, benchImage), sysbenchPrepareCommand(context.profile.sysbench, server.login), 'sysbench prepare');
    },
    async run(server, context) {
      return readSysbench(await runTool(await clientFor(server, benchImage), sysbenchRunCommand(context.profile.sysbench, server.login), 'sysbench run'));
    },
  };
}
