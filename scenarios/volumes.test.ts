// The seed's "Volume Lifecycle Management": create (with labels and the local driver's
// options, including its bind form), list filtered by label, inspect the mountpoint, find the
// containers using a volume, remove (refused while in use), prune. Each operation is checked
// against the engine, and an unlabelled decoy volume proves that the label selections leave
// others alone. Each check has its opposite in the same run (refused / allowed, listed / not,
// pruned / kept), so none can pass by always answering the same.
import { beforeAll, describe, test } from 'vitest';
import { runVolumeManagementChecks } from '../src/checks/volume-management.ts';
import { assertVerdict, preflight, recordResult, scenarioKit } from '../src/scenario-kit.ts';

beforeAll(() => preflight(['toolbox']));

describe('volume management', () => {
  test('each operation does what the seed says, and touches only what it selects', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const result = await runVolumeManagementChecks(
      'volumes',
      {
        'created with labels and driver options': 'visible',
        'bind-form volume writes to its host folder': 'visible',
        'listed by its label': 'visible',
        'decoy not listed by that label': 'absent',
        'mountpoint holds the data': 'visible',
        'containers using it found': 'visible',
        'removal while in use': 'refused',
        'removal once unused': 'allowed',
        'prune by label removes the labelled volume': 'lost',
        'prune by label keeps the decoy': 'survives',
      },
      { scope, trials: config.trials, image: config.images.toolbox },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});
