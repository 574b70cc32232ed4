// Redis through the seed's "disappearing data" lesson: the persistence matrix with the AOF on,
// and a kill under write load with appendfsync always, named as the setting it proves (the
// crash scenario runs the drills' Redis, the same setting, beside the other databases, with the
// snapshot-only control).
//
// With always, Redis writes and fsyncs each write before it answers, so a SIGKILL loses nothing
// it acknowledged. The default, everysec, is not kill-safe on a busy disk: Redis postpones its
// AOF write for up to 2 s while the previous fsync runs and answers meanwhile (a check of the
// good example once lost 6 of 615 acknowledged writes that way), so it is no cell here: whether
// it loses depends on the disk's load at the moment of the kill.
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
