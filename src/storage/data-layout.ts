// Where an image keeps its data, read from the image itself. A cell mounts its storage at the
// path the image declares as VOLUME and never tells the server where to keep its data: a user's
// image runs as configured, so an image whose own settings put the data somewhere else is caught
// losing it. Only the container-layer cell moves the data, to a path outside every VOLUME
// (an official database image would otherwise put it in an anonymous volume, not the layer).
import { inspectImage } from '../docker/engine.ts';
import type { MountFact } from '../docker/containers.ts';
import { HarnessError, ImageUnavailableError } from '../errors.ts';
import { isWithin } from './paths.ts';

/** What a service profile documents about its data paths. */
export interface DataPaths {
  /** The documented data paths, newest layout last (postgres: /var/lib/postgresql/data, /var/lib/postgresql for 18+). */
  documented: string[];
  /** Where the container-layer cell moves the data: must lie outside every declared VOLUME. */
  writableLayer: string;
}

export interface DataLayout {
  /** The image's declared VOLUMEs, sorted. */
  declaredVolumes: string[];
  /** Where storage is mounted. */
  dataMount: string;
  /** Why that path, for the evidence. */
  dataMountReason: string;
  /** The data directory the container-layer cell tells the server to use. */
  writableLayerDir: string;
}

/**
 * The declared VOLUME that holds the data: one of the documented paths if the image declares it,
 * else one that contains or lies inside a documented path, else the only one declared. An image
 * that declares none gets the documented path.
 */
export function chooseDataLayout(declaredVolumes: string[], paths: DataPaths): DataLayout {
  const declared = [...declaredVolumes].sort();
  const related = (volume: string) => paths.documented.some((doc) => isWithin(doc, volume) || isWithin(volume, doc));
  const exact = declared.find((volume) => paths.documented.includes(volume));
  const near = declared.find(related);
  const [dataMount, dataMountReason] =
    exact !== undefined
      ? [exact, `the image's declared VOLUME ${exact}`]
      : near !== undefined
        ? [near, `the image's declared VOLUME ${near}`]
        : declared.length === 1 && declared[0] !== undefined
          ? [declared[0], `the image's only declared VOLUME ${declared[0]}`]
          : [
              paths.documented[0] ?? '/data',
              declared.length === 0
                ? 'the documented data path (the image declares no VOLUME)'
                : `the documented data path (none of the image's VOLUMEs ${declared.join(', ')} is near it)`,
            ];
  const covering = declared.find((volume) => isWithin(paths.writableLayer, volume));
  if (covering !== undefined) {
    throw new HarnessError(
      `The container-layer path ${paths.writableLayer} lies inside the image's VOLUME ${covering}, so data there would go to an anonymous volume.`,
      'Choose a writable-layer path outside every VOLUME the image declares in the service profile.',
    );
  }
  return { declaredVolumes: declared, dataMount, dataMountReason, writableLayerDir: paths.writableLayer };
}

const layouts = new Map<string, DataLayout>();

/** The layout of a local image (inspected once per process). */
export async function dataLayoutOf(image: string, paths: DataPaths): Promise<DataLayout> {
  const key = `${image}\n${JSON.stringify(paths)}`;
  const known = layouts.get(key);
  if (known) return known;
  const facts = await inspectImage(image);
  if (!facts) throw new ImageUnavailableError(image, false);
  const layout = chooseDataLayout(facts.volumes, paths);
  layouts.set(key, layout);
  return layout;
}

/** Which mount holds a path: the deepest mount above it, or the container's own writable layer. */
export function whereDataLives(path: string, mounts: MountFact[]): string {
  const holder = mounts.filter((m) => isWithin(path, m.destination)).sort((a, b) => b.destination.length - a.destination.length)[0];
  if (!holder) return "in the container's writable layer, removed with the container";
  if (holder.type === 'volume' && /^[0-9a-f]{64}$/.test(holder.source))
    return `in an anonymous volume mounted at ${holder.destination}, removed with the container`;
  return `in ${holder.type} ${holder.source} mounted at ${holder.destination}`;
}
