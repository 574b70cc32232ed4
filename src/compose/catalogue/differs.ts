// Where an image that was read declares other VOLUMEs than the catalogue records for it: the
// image's own are used, and the report says so, since the tag may bring another image than the
// one the catalogue was read from (a fork, a rebuilt tag, a new major version). Pure.
import type { Finding } from '../findings.ts';
import type { Catalogued } from '../data-paths.ts';
import { describeSource } from './catalogue.ts';

export function catalogueDiffers(
  service: string,
  image: string,
  read: { source: string; facts: { volumes: readonly string[] } },
  catalogued: Catalogued | undefined,
): Finding | undefined {
  if (!catalogued) return undefined;
  const recorded = [...catalogued.layout.volumes].sort();
  const declared = [...read.facts.volumes].sort();
  if (recorded.join('\n') === declared.join('\n')) return undefined;
  const list = (paths: string[]) => (paths.length > 0 ? paths.join(', ') : 'none');
  return {
    service,
    severity: 'info',
    rule: 'catalogue-differs',
    path: image,
    message: `The image (${read.source}) declares the VOLUMEs ${list(declared)}; the catalogue records ${list(recorded)} for it (${describeSource(catalogued.entry)}). The image's own are used.`,
    fix: 'Nothing to do if the image is the one you mean to run; otherwise check which image the tag brings.',
  };
}
