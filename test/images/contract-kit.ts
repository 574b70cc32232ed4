// Helpers for the image contract tests: labelled containers that are removed afterwards, and
// waiting for a container that is expected to exit.
import { type GenericContainer, type StartedTestContainer } from 'testcontainers';
import { HostOnlyContainer } from '../../src/docker/host-only-container.ts';
import { waitForExit as exitOf } from '../../src/docker/containers.ts';
import type { RunScope } from '../../src/docker/run-scope.ts';
import { ensureImage } from '../../src/docker/engine.ts';
import type { HarnessConfig, ImageTarget, UpgradePairName } from '../../src/config.ts';

/** A service whose upgrade pair is named after it: its contract holds on both sides. */
type ServiceWithUpgrade = Extract<UpgradePairName, ImageTarget>;
import { ContainerRunning } from '../../src/docker/running-wait-strategy.ts';
import { deadlineIn, sleep } from '../../src/timing/clock.ts';

export type Configure = (container: GenericContainer) => GenericContainer;

export async function startLabelled(scope: RunScope, image: string, purpose: string, configure: Configure): Promise<StartedTestContainer> {
  const container = await configure(new HostOnlyContainer(image)).withWaitStrategy(new ContainerRunning()).withLabels(scope.labels(purpose)).start();
  scope.trackContainer(container.getId());
  return container;
}

/**
 * A container that is expected to refuse and exit at once, with its exit code and log. It
 * publishes no port: start() waits for published ports, and a container that is already gone
 * never shows them (under load the exit can win that race).
 */
export async function refusalOf(scope: RunScope, image: string, purpose: string, env: Record<string, string>): Promise<{ code: number; logs: string }> {
  return waitForExit(await startLabelled(scope, image, purpose, (c) => c.withEnvironment(env)));
}

export async function waitForExit(container: StartedTestContainer, timeoutMs = 60_000): Promise<{ code: number; logs: string }> {
  const { exitCode, logs } = await exitOf(container.getId(), timeoutMs);
  return { code: exitCode, logs };
}

/** Retries while the server is still starting; answers (including refusals) are returned or thrown. */
export async function untilAnswered<T>(attempt: () => Promise<T>, isAnswer: (error: unknown) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = deadlineIn(timeoutMs);
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (isAnswer(error) || deadline.passed()) throw error;
      await sleep(100);
    }
  }
}

/**
 * The images a contract is checked against: the selected one, and both sides of its upgrade
 * pair (the upgrade drills rely on the same promises from the newer image). Each once.
 */
export function contractImages(config: HarnessConfig, target: ServiceWithUpgrade): string[] {
  const pair = config.upgrades[target];
  return [...new Set([config.images[target].reference, pair.from, pair.to])];
}

/** Present locally, or pulled; a missing stand-in is one clear sentence. */
export async function ensureContractImages(config: HarnessConfig, target: ServiceWithUpgrade): Promise<void> {
  const standIn = config.upgrades[target].source === 'local';
  for (const image of contractImages(config, target)) await ensureImage(image, standIn);
}
