// Removes what the harness made, selected by the run label only.
import { HarnessError } from '../errors.ts';
import { sleep } from '../timing/clock.ts';
import { docker, statusCode } from './engine.ts';
import { RUN_LABEL, runLabelFilter } from './labels.ts';
import { harnessTempRoot, recordedAnonymousVolumes, runTempRoot } from './temp-root.ts';
import { disksUnder, releaseDisksUnder } from '../host/release-disks.ts';

export interface Removed {
  containers: number;
  volumes: number;
  networks: number;
  images?: number;
  /** Mounts and loop devices of power-cut disks below the run's temp root. */
  disks?: number;
}

/**
 * Containers first (with their anonymous volumes), then volumes and networks, which Docker
 * refuses to remove while a container still uses them. Errors on one item do not stop the rest.
 */
export async function removeRunResources(runId?: string): Promise<Removed> {
  const filters = { label: [runLabelFilter(runId)] };
  const removed: Removed = { containers: 0, volumes: 0, networks: 0 };

  const containers = await docker().listContainers({ all: true, filters });
  await Promise.all(
    containers.map(async (c) => {
      if (await ignoreGone(docker().getContainer(c.Id).remove({ force: true, v: true }))) removed.containers++;
    }),
  );
  // A power-cut disk is held while a container uses it: released after the containers, before the volumes on it.
  const disks = await releaseDisksUnder(runId === undefined ? harnessTempRoot() : runTempRoot(runId));
  removed.disks = disks.mounts.length + disks.loops.length;
  const { Volumes: volumes } = await docker().listVolumes({ filters });
  const names = new Set((volumes ?? []).map((v) => v.Name));
  // One check needs a volume with no labels at all (a decoy its label selections must miss);
  // it is named with the run's id, which is unique, so the run's own sweep can still find it.
  if (runId !== undefined) {
    const prefix = `ph-${runId}-`;
    const named = await docker().listVolumes({ filters: { name: [prefix] } });
    for (const volume of named.Volumes ?? []) if (volume.Name.startsWith(prefix)) names.add(volume.Name);
    // A Compose copy's anonymous volumes, recorded by name: they carry no label.
    for (const name of await recordedAnonymousVolumes(runId)) names.add(name);
  }
  await Promise.all(
    [...names].map(async (name) => {
      if (await ignoreGone(docker().getVolume(name).remove())) removed.volumes++;
    }),
  );
  const networks = await docker().listNetworks({ filters });
  // One network the engine will not let go of must not keep the rest from being removed.
  const refusals: unknown[] = [];
  await Promise.all(
    networks.map(async (n) => {
      try {
        if (await removeNetwork(n.Id, runId)) removed.networks++;
      } catch (error) {
        refusals.push(error);
      }
    }),
  );
  // Scratch images some checks commit; images the user built or pulled carry no run label.
  const images = await docker().listImages({ filters });
  removed.images = 0;
  for (const image of images) {
    if (await ignoreGone(docker().getImage(image.Id).remove({ force: true }))) removed.images++;
  }
  if (refusals.length > 0) throw refusals[0];
  return removed;
}

export async function countRunResources(runId?: string): Promise<Removed> {
  const filters = { label: [runLabelFilter(runId)] };
  const [containers, volumes, networks, disks] = await Promise.all([
    docker().listContainers({ all: true, filters }),
    docker().listVolumes({ filters }),
    docker().listNetworks({ filters }),
    disksUnder(runId === undefined ? harnessTempRoot() : runTempRoot(runId)),
  ]);
  return {
    containers: containers.length,
    volumes: (volumes.Volumes ?? []).length,
    networks: networks.length,
    disks: disks.mounts.length + disks.loops.length,
  };
}

/** True when removed now, false when it was already gone (another cleanup got there first). */
const NETWORK_ATTEMPTS = 20;

/**
 * The engine refuses to remove a network for an endpoint no container holds any more: a known
 * engine fault (moby#42119) only a daemon restart clears. Nothing the harness can remove.
 */
export class EngineHeldNetworkError extends HarnessError {
  readonly network: string;
  constructor(network: string, options?: ErrorOptions) {
    super(
      `The Docker engine refuses to remove network ${network}: it still counts an endpoint of a container that no longer exists (a known engine fault).`,
      `Restart the Docker engine, then run \`persist clean\`.`,
      options,
    );
    this.network = network;
  }
}
const NETWORK_RETRY_MS = 250;

/**
 * The engine refuses to remove a network while it has endpoints (403), and a killed container's
 * endpoint can outlive the container for a moment (a stale endpoint). The run's own containers,
 * and endpoints of containers that no longer exist, are disconnected; a container of anyone else
 * keeps the network, and after a few seconds the engine's refusal is reported.
 */
async function removeNetwork(id: string, runId: string | undefined): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const network = docker().getNetwork(id);
    let refusal: unknown;
    try {
      await network.remove();
      return true;
    } catch (error) {
      const code = statusCode(error);
      if (code === 404) return false;
      if (code !== 403) throw error;
      refusal = error;
    }
    const attached = Object.keys(((await network.inspect()) as { Containers?: Record<string, unknown> }).Containers ?? {});
    if (attempt >= NETWORK_ATTEMPTS) {
      if (attached.length === 0) throw new EngineHeldNetworkError(((await network.inspect()) as { Name: string }).Name, { cause: refusal });
      throw refusal;
    }
    for (const container of attached) {
      const labels = await docker()
        .getContainer(container)
        .inspect()
        .then(
          (info) => info.Config.Labels ?? {},
          () => undefined,
        );
      const ours = labels === undefined || (runId !== undefined ? labels[RUN_LABEL] === runId : labels[RUN_LABEL] !== undefined);
      if (ours) await network.disconnect({ Container: container, Force: true }).catch(() => undefined);
    }
    await sleep(NETWORK_RETRY_MS);
  }
}

async function ignoreGone(removal: Promise<unknown>): Promise<boolean> {
  try {
    await removal;
    return true;
  } catch (error) {
    const code = (error as { statusCode?: number }).statusCode;
    if (code === 404 || code === 409) return false;
    throw error;
  }
}
