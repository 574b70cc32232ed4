// Redis through the seed's "disappearing data" lesson: the persistence matrix with the AOF on
// (--appendonly yes), and a kill under write load with every fsync policy that must keep each
// acknowledged write. The default policy's kill drill and the snapshot-only control run with the
// other databases in the crash scenario; here, appendfsync always.
//
// Redis appends a write to its AOF before it answers, so a SIGKILL of the process loses nothing
// under either policy: the page cache survives a process kill. Only an OS crash or power loss
// separates everysec (up to a second lost) from always, and that cannot be produced here.
import { describe, test } from 'vitest';
import { runKillDrill } from '../src/crash/kill-drill.ts';
import { describePersistenceMatrix } from '../src/matrix/suite.ts';
import { assertVerdict, recordResult, scenarioKit } from '../src/scenario-kit.ts';
import { redis } from '../src/services/redis/driver.ts';

describePersistenceMatrix('redis', redis);

describe('SIGKILL under write load with appendfsync always', () => {
  test.for(['named-volume', 'bind-mount'] as const)('Redis on %s', async (storage, { task }) => {
    const { config, scope } = scenarioKit();
    const setting = { name: 'appendfsync-always', serverArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] };
    const result = await runKillDrill(
      { scenario: 'redis', target: redis, storage, durability: 'durable', expected: 'survives', setting },
      { scope, trials: config.trials, image: config.images.redis },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});
