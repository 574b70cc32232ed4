// The facts a reader needs to trust or reproduce a run: engine, storage driver, image ids.
import type { HarnessConfig } from '../config.ts';
import { checkEngine, inspectImage } from '../docker/engine.ts';
import type { EnvironmentFacts } from './model.ts';

export async function gatherEnvironment(config: HarnessConfig): Promise<EnvironmentFacts> {
  const engine = await checkEngine().catch(() => null);
  const images = await Promise.all(
    Object.values(config.images).map(async (choice) => ({
      target: choice.target,
      reference: choice.reference,
      id: engine ? ((await inspectImage(choice.reference).catch(() => undefined))?.id ?? null) : null,
      source: choice.source,
    })),
  );
  return { engine, images, node: process.version, platform: `${process.platform}-${process.arch}` };
}
