// Which image a tag will mean after the next pull. A stateful service on a floating tag
// (`postgres`, `:latest`, `postgres:alpine`) has its verdict decided by whatever the tag means
// today, and a pull can bring a new major version with another data layout (postgres 18 moved
// its data directory and refuses a mount at the old path). Pure: a unit test drives each case.
import { profileOf } from '../services/registry.ts';
import type { Finding } from './findings.ts';
import { tagOf, withoutTag } from './image-reference.ts';
import type { StorageMount } from './storage-map.ts';

export type TagPin = { kind: 'digest' } | { kind: 'version'; tag: string } | { kind: 'floating'; tag: string };

/**
 * A digest pins the image; a tag that names a version (any digit: `17`, `10.11`, `17-alpine`)
 * pins at least the major version, for a service whose software the tag versions. A tag without
 * one (`latest`, `alpine`, `bookworm`, `stable`) floats: for a known service it names no version
 * of it; for any other image only `latest` (written or not) is taken as floating, since a tag
 * like `bookworm` may be the very version of a Debian-based image.
 */
export function pinOf(reference: string, known: boolean): TagPin {
  const tag = tagOf(reference);
  if (tag === undefined) return { kind: 'digest' };
  if (tag === 'latest') return { kind: 'floating', tag };
  return known && !/\d/.test(tag) ? { kind: 'floating', tag } : { kind: 'version', tag };
}

/** The tag to pin to, from the version the image announces: X.Y where the service's profile says its releases come in such series (MySQL, MariaDB), X otherwise. */
export function pinnedTag(name: string, recognisedAs: string | undefined, version: string | undefined): string | undefined {
  const numbers = /(\d+)(?:\.(\d+))?/.exec((version ?? '').replace(/^\d+:/, ''));
  if (!numbers) return undefined;
  const series = profileOf(recognisedAs)?.pinSeries === 'minor' && numbers[2] !== undefined ? `${numbers[1]}.${numbers[2]}` : numbers[1];
  return `${name}:${series}`;
}

export interface TaggedService {
  service: string;
  image: string;
  builds: boolean;
  recognisedAs: string | undefined;
  /** What the image announces itself as today, where it was read. */
  version: string | undefined;
  /** The service keeps data: a data path, or storage of its own mounted writable. */
  stateful: boolean;
  /** Judged on the catalogue's current layout, the image itself not read. */
  assumedCurrent?: boolean;
}

/** Whether a service keeps data of its own: a data path the audit found, or a writable mount. */
export function keepsData(dataPaths: ReadonlyArray<{ ephemeral?: boolean }>, mounts: readonly StorageMount[]): boolean {
  return dataPaths.some((path) => path.ephemeral !== true) || mounts.some((mount) => mount.kind !== 'tmpfs' && !mount.readOnly);
}

/** A warning for a stateful service whose image tag floats; none for an image the project builds itself. */
export function floatingTagFinding(tagged: TaggedService): Finding | undefined {
  if (tagged.builds || !tagged.stateful) return undefined;
  const pin = pinOf(tagged.image, tagged.recognisedAs !== undefined);
  if (pin.kind !== 'floating') return undefined;
  const today = tagged.version
    ? `today it is version ${tagged.version}`
    : tagged.assumedCurrent
      ? "the image was not read, and the catalogue's current layout (what a pull brings today) was assumed"
      : 'what it is today was not read';
  const suggestion = pinnedTag(withoutTag(tagged.image), tagged.recognisedAs, tagged.version);
  return {
    service: tagged.service,
    severity: 'warning',
    rule: 'floating-tag',
    path: tagged.image,
    message: `${tagged.image} is a floating tag (${pin.tag === 'latest' ? 'latest' : `\`${pin.tag}\` names no version`}): ${today}, and the next pull can bring a new major version that keeps its data differently, so this verdict holds only for the image read now.`,
    fix: `Pin the version your data was made with${suggestion ? `, \`${suggestion}\`` : ' (a tag with its major version)'}, and upgrade deliberately.`,
  };
}
