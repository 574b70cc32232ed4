// The seed's development loop through a bind mount: `-v ${PWD}:/app -v /app/node_modules` with
// nodemon, and Exercise 2's Flask app with debug=True. Each edit on the host is timed until the
// app serves it; the traps of that setup are shown as they behave, and the controls (the source
// baked in, a named volume at /app) prove that an edit that cannot reach the app is reported as
// never served.
import { beforeAll, describe, test } from 'vitest';
import type { ImageTarget } from '../src/config.ts';
import { negativeControl } from '../src/drill/control.ts';
import { runDevloopDrill, type DevloopSpec } from '../src/devloop/devloop-drill.ts';
import { STACKS, WATCHERS, type Watcher } from '../src/devloop/stacks.ts';
import { ITEMS } from '../src/devloop/devloop-verdict.ts';
import { assertVerdict, preflight, proveControl, recordResult, scenarioKit } from '../src/scenario-kit.ts';

const SCENARIO = 'devloop';

beforeAll(() => preflight(['node', 'flask', 'flask_watchdog']));

function context(image: ImageTarget, trials?: number) {
  const { config, scope } = scenarioKit();
  return { scope, trials: trials ?? config.trials, image: config.images[image] };
}

function drill(watcher: Watcher, setup: DevloopSpec['setup'], edits?: number) {
  return runDevloopDrill(
    { scenario: SCENARIO, watcher, setup, edits: edits ?? scenarioKit().config.edits },
    context(watcher.image, setup === 'loop' ? undefined : 1),
  );
}

const byName = (name: string) => WATCHERS.find((w) => w.name === name)!;
/** The seed's own setup for each stack: the watcher its image runs by default. */
const SEED_WATCHER = { node: byName('nodemon-events'), flask: byName('werkzeug-stat') };

describe('development loop: edits on the host served by the app', () => {
  test.for(WATCHERS.map((watcher) => ({ watcher, name: `${STACKS[watcher.stack].displayName}: ${watcher.title}` })))('$name', async ({ watcher }, { task }) => {
    const result = await drill(watcher, 'loop');
    recordResult(task.meta, result);
    assertVerdict(result);
  });

  test("trap: without the /app/node_modules volume the host folder hides the image's modules and the app does not start", async ({ task }) => {
    const result = await drill(SEED_WATCHER.node, 'without-modules-volume', 1);
    recordResult(task.meta, result);
    assertVerdict(result);
  });
});

describe('negative controls: an edit that cannot reach the app is reported as never served', () => {
  const controls = (['node', 'flask'] as const).flatMap((stack) => [
    {
      stack,
      setup: 'baked' as const,
      title: `${STACKS[stack].displayName}: the source baked in by COPY . ., no bind mount`,
      sabotage: 'no mount at /app: the app runs the copy the image was built with',
    },
    {
      stack,
      setup: 'named-volume' as const,
      title: `${STACKS[stack].displayName}: a named volume at /app instead of the host folder`,
      sabotage: "-v NAMED_VOLUME:/app: Docker copies the image's /app into the empty volume; the host folder is not in the container",
    },
  ]);
  test.for(controls.map((c) => ({ ...c, name: c.title })))('negative control: $name', async ({ stack, setup, title, sabotage }, { task }) => {
    const cell = await drill(SEED_WATCHER[stack], setup, 1);
    const control = negativeControl(cell, {
      title,
      sabotage,
      // Caught only when the app itself ran: a control that never started would prove nothing about edits.
      caughtWhen: (c) =>
        (c.items ?? []).some((i) => i.item === ITEMS.answers && i.observed === 'visible') &&
        (c.items ?? []).some((i) => i.item === ITEMS.edits && i.observed === 'absent'),
    });
    proveControl(task.meta, control);
  });
});
