// The shape of one catalogue entry: what an image's own build says about where it keeps data,
// read from its Dockerfile (or its maintainers' documentation) at a pinned commit. A service's
// folder lists the entries of its official image and of images built FROM it (its profile's
// `catalogue`); the audit's catalogue (src/compose/catalogue/) adds every other image it knows.

/** One place an image keeps data, and what in the service's settings moves it or turns it off. */
export interface CataloguedPath {
  /** The default path ('' where only a flag names one, as Traefik's ACME storage). */
  path: string;
  /** A variable that, set by the service or the image, names the path instead. */
  env?: string;
  /** A command-line flag whose value names the path instead (`--dbpath`, `--storage.tsdb.path`). */
  flag?: string;
  /** A pattern of flag names whose value is a data path (Traefik's `--certificatesresolvers.NAME.acme.storage`). */
  flagPattern?: string;
  /** The path is used only when this flag is on the command line (Mongo's config server). */
  whenFlag?: string;
  /** The path is not used when this flag is on the command line. */
  unlessFlag?: string;
}

/** What a range of versions of the image declares and where it keeps data. */
export interface CatalogueLayout {
  /** The last version this layout holds for (a major, or a major.minor: `8.0`); none for the current layout. */
  until?: string;
  /** The image's VOLUMEs. */
  volumes: readonly string[];
  /** The image's ENV that decide where data goes (PGDATA, GF_PATHS_DATA). */
  env?: Readonly<Record<string, string>>;
  workingDir?: string;
  /** Its CMD, where a flag in it says where the data goes (the audit follows a `command:` that drops it). */
  cmd?: readonly string[];
  /** Its USER, where it runs as another user than root (its server then cannot fix its data directory's owner). */
  user?: string;
  /** Where it keeps data; absent in a service's own entries, whose profile says. */
  dataPaths?: readonly CataloguedPath[];
  /** The entrypoint refuses to start with a mount at the data directory an earlier layout used. */
  refusesFormerMount?: boolean;
  /** The entrypoint script that refusal was read in. */
  entrypoint?: string;
}

export interface CatalogueEntry {
  /** Repositories as an image reference names them, without registry host or `library/`; `owner/*` for a family. */
  repositories: readonly string[];
  /** What a reader should know that the paths do not say. */
  note?: string;
  /** Oldest first; the last has no `until`. */
  layouts: readonly CatalogueLayout[];
  /** The file the facts were read from, at the commit they were read at. */
  source: { url: string; commit: string };
}

/** A file in a GitHub repository at a commit: where an entry's facts were read. */
export const githubFile = (repository: string, commit: string, path: string) => ({ url: `https://github.com/${repository}/blob/${commit}/${path}`, commit });
/** A folder: the Dockerfile and the entrypoint script beside it. */
export const githubFolder = (repository: string, commit: string, path: string) => ({ url: `https://github.com/${repository}/tree/${commit}/${path}`, commit });
