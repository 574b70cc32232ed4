// The fingerprint of a volume's files: per file its sha256, owner and mode (per directory its
// owner and mode), listed by a helper container with busybox-compatible commands so that it
// runs on alpine as on the stand-in. A restore is only right when all of them are the same.
import { sha256 } from '../data/hash.ts';
import type { Fingerprint } from '../data/fingerprint.ts';

/** Lists the volume mounted at /data: one line per entry, then the sha256 of every file. */
export const LISTING_SCRIPT = [
  'cd /data || exit 3',
  "find . -mindepth 1 -type d -exec stat -c 'd %u:%g %a %n' {} +",
  "find . -type l -exec stat -c 'l %u:%g %a %n' {} +",
  "find . -type f -exec stat -c 'f %u:%g %a %n' {} +",
  'find . -type f -exec sha256sum {} +',
].join(' && ');

export interface FileEntry {
  type: 'd' | 'f' | 'l';
  owner: string;
  mode: string;
  sha256: string | null;
}

export type Listing = Map<string, FileEntry>;

export function parseListing(output: string): Listing {
  const listing: Listing = new Map();
  const hashes = new Map<string, string>();
  for (const line of output.split('\n')) {
    const entry = /^([dfl]) (\d+:\d+) ([0-7]+) \.\/(.+)$/.exec(line);
    if (entry) {
      listing.set(entry[4]!, { type: entry[1] as FileEntry['type'], owner: entry[2]!, mode: entry[3]!, sha256: null });
      continue;
    }
    const hash = /^([0-9a-f]{64}) {2}\.\/(.+)$/.exec(line);
    if (hash) hashes.set(hash[2]!, hash[1]!);
  }
  for (const [path, digest] of hashes) {
    const entry = listing.get(path);
    if (entry) entry.sha256 = digest;
  }
  return listing;
}

/** Leaves out what a drill writes on purpose while it runs (the ledger), so it is judged apart. */
export function withoutPrefix(listing: Listing, prefix: string): Listing {
  return new Map([...listing].filter(([path]) => path !== prefix && !path.startsWith(`${prefix}/`)));
}

export interface ListingComparison {
  identical: boolean;
  /** Files (and directories) present before and missing after. */
  lost: number;
  unexpected: number;
  changed: number;
  differences: string[];
}

const SHOWN_DIFFERENCES = 8;

export function compareListings(before: Listing, after: Listing): ListingComparison {
  const sentences: string[] = [];
  let lost = 0;
  let unexpected = 0;
  let changed = 0;
  for (const [path, was] of before) {
    const now = after.get(path);
    if (!now) {
      lost += 1;
      sentences.push(`${kind(was)} ${path} is absent`);
      continue;
    }
    const what = [
      now.type !== was.type ? `is a ${kind(now)}, was a ${kind(was)}` : '',
      now.sha256 !== was.sha256 && now.type === was.type ? 'has different content' : '',
      now.owner !== was.owner ? `is owned by ${now.owner}, was ${was.owner}` : '',
      now.mode !== was.mode ? `has mode ${now.mode}, was ${was.mode}` : '',
    ].filter(Boolean);
    if (what.length > 0) {
      changed += 1;
      sentences.push(`${kind(was)} ${path} ${what.join(', ')}`);
    }
  }
  for (const [path, now] of after) {
    if (before.has(path)) continue;
    unexpected += 1;
    sentences.push(`${kind(now)} ${path} appeared`);
  }
  const differences = sentences.slice(0, SHOWN_DIFFERENCES);
  if (sentences.length > SHOWN_DIFFERENCES)
    differences.push(`… and ${sentences.length - SHOWN_DIFFERENCES} more differences (${lost} absent, ${changed} changed, ${unexpected} appeared)`);
  return { identical: sentences.length === 0, lost, unexpected, changed, differences };
}

function kind(entry: FileEntry): string {
  return entry.type === 'd' ? 'directory' : entry.type === 'l' ? 'symlink' : 'file';
}

/**
 * The report's compact form: entries grouped by their first two path segments, each group
 * with its entry count and a hash over its entries' lines (path, type, owner, mode, sha256).
 */
export function groupedFingerprint(listing: Listing): Fingerprint {
  const groups = new Map<string, string[]>();
  for (const [path, entry] of [...listing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const segments = path.split('/');
    const group = segments.length > 2 ? `${segments.slice(0, 2).join('/')}/` : segments.length === 2 ? `${segments[0]}/` : '(top level)';
    const lines = groups.get(group) ?? [];
    lines.push(`${path} ${entry.type} ${entry.owner} ${entry.mode} ${entry.sha256 ?? '-'}`);
    groups.set(group, lines);
  }
  return Object.fromEntries([...groups].map(([group, lines]) => [group, { present: true, rows: lines.length, contentHash: sha256(lines.join('\n')) }]));
}
