// The seed's tmpfs "sticky notes": `--tmpfs /tmp:rw,noexec,nosuid,size=…` and
// `--tmpfs /app/cache:rw,size=…`. A note written there is readable while the container runs,
// is never found on disk (not in `docker diff`, not in the writable layer, not in any mount),
// is gone after a stop and start, and the mounts' options are enforced. The same checks with
// named volumes in place of the tmpfs mounts, or no mounts at all, must fail.
import { beforeAll, describe, test } from 'vitest';
import { runTmpfsChecks, type TmpfsSetup } from '../src/checks/tmpfs.ts';
import { negativeControl } from '../src/drill/control.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';

const STICKY_NOTES: TmpfsSetup = {
  name: 'sticky-notes',
  title: 'notes on tmpfs mounts',
  mounts: 'tmpfs',
  expected: {
    'readable while running': 'visible',
    'kept off disk': 'absent',
    'size limit enforced': 'refused',
    'noexec enforced': 'refused',
    'after a stop and start': 'lost',
  },
};

const context = () => {
  const { config, scope } = scenarioKit();
  return { scope, trials: config.trials, image: config.images.toolbox };
};

beforeAll(() => preflight(['toolbox']));

describe('tmpfs', () => {
  test('keeps notes in memory only, and enforces its options', async ({ task }) => {
    const result = await runTmpfsChecks('tmpfs', STICKY_NOTES, context());
    recordResult(task.meta, result);
    assertVerdict(result);
  });

  test.for([
    { mounts: 'named-volume', sabotage: 'named volumes mounted at /app/cache and /tmp instead of tmpfs' },
    { mounts: 'container-layer', sabotage: 'no mounts: /app/cache and /tmp are in the writable layer' },
  ] as const)('negative control: $sabotage — the same checks fail', async ({ mounts, sabotage }, { task }) => {
    const cell = await runTmpfsChecks(
      'tmpfs',
      { ...STICKY_NOTES, name: `${mounts}-instead`, title: `${mounts} instead of tmpfs`, mounts },
      { ...context(), trials: 1 },
    );
    const wrong = (item: string) => cell.items?.some((i) => i.item === item && i.observed !== i.expected) ?? false;
    // Found on disk, and still there after a stop and start: what tmpfs promises not to do.
    const caughtWhen = () => wrong('kept off disk') && wrong('after a stop and start');
    proveControl(task.meta, negativeControl(cell, { title: `tmpfs checks on ${mounts} instead`, sabotage, observed: 'any', caughtWhen }));
  });
});
