// The facts a reader needs to trust or reproduce a run: engine, storage driver, image ids.
import { checkEngine, inspectImage } from '../docker/engine.ts';
import type { EnvironmentFacts } from './model.ts';

/** An image the run chose, as its settings name it; the engine adds its id. */
export type ChosenImage = Omit<EnvironmentFacts['images'][number], 'id'>;

export async function gatherEnvironment(chosen: readonly ChosenImage[]): Promise<EnvironmentFacts> {
  const engine = await checkEngine().catch(() => null);
  const images = await Promise.all(
    chosen.map(async (choice) => ({
      target: choice.target,
      reference: choice.reference,
      id: engine ? ((await inspectImage(choice.reference).catch(() => undefined))?.id ?? null) : null,
      source: choice.source,
    })),
  );
  return { engine, images, node: process.version, platform: `${process.platform}-${process.arch}` };
}
