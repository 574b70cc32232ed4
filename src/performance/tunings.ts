// The seed's tuning advice, as variants of how the server's container is started. What the advice
// is lives in each service's folder (its profile's tuning); here it becomes a benchmark variant.
import type { MetricDefinition } from './metrics.ts';
import type { Tuning } from './database-runs.ts';
import type { SeedTuning } from '../services/profile.ts';
import { type ServiceName, servicesWith } from '../services/registry.ts';

/** The services whose profile carries the seed's tuning advice, with it, in the registry's order. */
export function seedTunings(): Array<{ service: ServiceName; advice: SeedTuning }> {
  return servicesWith('tuning').map(({ service, value }) => ({ service, advice: value }));
}

/** A service's advice measured by a benchmark's metric: the same container with and without it. */
export function tuningOf(service: ServiceName, metric: MetricDefinition): Tuning {
  const found = seedTunings().find((tuning) => tuning.service === service);
  if (!found) throw new Error(`${service} has no tuning in its profile (capabilities.tuning).`);
  const { advice } = found;
  const { sharedMemoryBytes, tmpfs, serverArgs } = advice.container;
  return {
    spec: { id: advice.id, target: service, title: advice.title, settings: advice.settings, metric },
    variant: {
      name: advice.id,
      serverArgs,
      adjust: (container) => {
        const shared = sharedMemoryBytes === undefined ? container : container.withSharedMemorySize(sharedMemoryBytes);
        return tmpfs === undefined ? shared : shared.withTmpFs(tmpfs);
      },
    },
  };
}
