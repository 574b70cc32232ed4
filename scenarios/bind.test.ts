// The seed's bind mounts: the development workflow (`-v ${PWD}:/app -v /app/node_modules`, live
// edits), its best practices (`:ro` folders and the single-file `nginx.conf:ro`), and its
// troubleshooting ("permission denied", fixed by chown on the host or `--user $(id -u):$(id -g)`).
// Every refusal is paired with the same operation allowed, so no check can pass by always
// answering the same way.
import { beforeAll, describe, test } from 'vitest';
import { runBindControl, runBindMountChecks } from '../src/checks/bind-mounts.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';

beforeAll(() => preflight(['toolbox', 'nginx']));

describe('bind mounts', () => {
  test('share bytes both ways, serve live edits, enforce :ro and ownership, and mask with a volume', async ({ task }) => {
    const { config, scope } = scenarioKit();
    const result = await runBindMountChecks(
      'bind',
      {
        'host file in the container, same bytes': 'visible',
        'container file on the host, same bytes': 'visible',
        'host edit served without a restart': 'visible',
        'write into a :ro folder': 'refused',
        'write into the same folder without :ro': 'allowed',
        'write to a :ro single file (nginx.conf)': 'refused',
        'the :ro nginx.conf is in effect': 'visible',
        'host files unchanged by refused writes': 'survives',
        'non-root container writing a root-owned folder': 'refused',
        'after chown on the host': 'allowed',
        'with --user set to the folder owner': 'allowed',
        'masked folder keeps the image content': 'visible',
        'the rest of the tree comes from the host': 'visible',
      },
      { scope, trials: config.trials, images: { toolbox: config.images.toolbox, nginx: config.images.nginx } },
    );
    recordResult(task.meta, result);
    assertVerdict(result);
  });

  test('negative control: a named volume where the host folder should be shares nothing with the host', async ({ task }) => {
    const { scope, config } = scenarioKit();
    const control = await runBindControl('bind', { scope, trials: 1, images: { toolbox: config.images.toolbox, nginx: config.images.nginx } });
    proveControl(task.meta, control);
  });
});
