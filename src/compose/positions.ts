// Where in the user's own files a service, its image and each of its mounts is declared:
// `docker compose config` keeps no positions, so the files are read again with the yaml
// library. As in Compose's merge, the last file that sets a key wins; a service from an
// `include`d file points into that file, and a mount a service inherits through `extends` points
// to the service that declares it.
import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';

export interface SourcePosition {
  file: string;
  /** 1-based, as editors and SARIF count. */
  line: number;
  column: number;
}

interface ServicePlaces {
  service?: SourcePosition;
  image?: SourcePosition;
  build?: SourcePosition;
  /** Mount target → where its entry is. */
  mounts: Map<string, SourcePosition>;
  /** `extends`: the service (and file) whose keys this one inherits where it sets none. */
  extends?: { service: string; file: string };
}

export interface Positions {
  /** The best place for a finding: the mount at `path`, else the `image:` (or `build:`) the path names, else the service. */
  of(service: string, path: string): SourcePosition | undefined;
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The files Compose reads: those given with -f, else the first default file in the folder and its override. */
export async function composeFilesOf(files: readonly string[], folder: string): Promise<string[]> {
  if (files.length > 0) return files.map((file) => resolve(file));
  const first = async (names: string[]) => {
    for (const name of names) if (await exists(resolve(folder, name))) return resolve(folder, name);
    return undefined;
  };
  return [await first(DEFAULT_FILES), await first(OVERRIDES)].filter((file): file is string => file !== undefined);
}

/** A mount entry's target: the long syntax's `target`, or the short syntax's second part (its only part for an anonymous volume). */
export function mountTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    return (parts.length >= 2 ? parts[1] : parts[0])?.replace(/(.)\/+$/, '$1');
  }
  if (entry && typeof entry === 'object' && 'target' in entry) return String((entry as { target: unknown }).target).replace(/(.)\/+$/, '$1');
  return undefined;
}

export async function readPositions(files: readonly string[]): Promise<Positions> {
  // service name → places, per file (for extends), and the merged view (last file wins).
  const byFile = new Map<string, Map<string, ServicePlaces>>();
  const merged = new Map<string, ServicePlaces>();
  const seen = new Set<string>();

  async function readFileInto(file: string): Promise<void> {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    const at = (node: Node | null | undefined): SourcePosition | undefined => {
      const offset = node?.range?.[0];
      if (offset === undefined) return undefined;
      const { line, col } = lines.linePos(offset);
      return { file, line, column: col };
    };
    for (const included of includesOf(document.get('include'))) await readFileInto(resolve(dirname(file), included));
    const services = document.get('services', true);
    if (!isMap(services)) return;
    const own = new Map<string, ServicePlaces>();
    for (const pair of (services as YAMLMap).items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const name = String(pair.key.value);
      const body = pair.value as YAMLMap;
      const places: ServicePlaces = { mounts: new Map() };
      const service = at(pair.key as Node);
      if (service) places.service = service;
      for (const item of body.items) {
        if (!isScalar(item.key)) continue;
        const key = String(item.key.value);
        const where = at(item.key as Node);
        if (key === 'image' && where) places.image = where;
        if (key === 'build' && where) places.build = where;
        if ((key === 'volumes' || key === 'tmpfs') && isSeq(item.value))
          for (const entry of item.value.items) {
            const target = mountTarget((entry as Node & { toJSON(): unknown }).toJSON());
            const position = at(entry as Node);
            if (target && position) places.mounts.set(target, position);
          }
        if (key === 'extends') {
          const value = (item.value as Node & { toJSON(): unknown }).toJSON() as string | { service: string; file?: string };
          places.extends =
            typeof value === 'string' ? { service: value, file } : { service: value.service, file: value.file ? resolve(dirname(file), value.file) : file };
        }
      }
      own.set(name, places);
      const before = merged.get(name);
      // The last file that sets a key wins; keys it does not set keep their earlier place.
      merged.set(name, {
        ...before,
        ...places,
        mounts: places.mounts.size > 0 ? places.mounts : (before?.mounts ?? new Map()),
      });
    }
    byFile.set(file, own);
    for (const places of own.values()) if (places.extends) await readFileInto(places.extends.file);
  }

  for (const file of files) await readFileInto(resolve(file));

  const mountOf = (places: ServicePlaces | undefined, path: string, depth: number): SourcePosition | undefined => {
    if (!places) return undefined;
    const own = places.mounts.get(path.replace(/(.)\/+$/, '$1'));
    if (own || !places.extends || depth > 8) return own;
    return mountOf(byFile.get(places.extends.file)?.get(places.extends.service), path, depth + 1);
  };

  return {
    of(service, path) {
      const places = merged.get(service);
      if (!places) return undefined;
      const mount = mountOf(places, path, 0);
      if (mount) return mount;
      // A path that is no absolute path is an image reference (floating-tag, image-unread).
      if (!path.startsWith('/')) return places.image ?? places.build ?? places.service;
      return places.service;
    },
  };
}

/** `include:` as a list of paths, or of `{ path: string | string[] }`. */
function includesOf(value: unknown): string[] {
  const list = isSeq(value) ? (value.toJSON() as unknown[]) : [];
  return list.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const path = (entry as { path?: string | string[] } | null)?.path;
    return typeof path === 'string' ? [path] : Array.isArray(path) ? path : [];
  });
}
