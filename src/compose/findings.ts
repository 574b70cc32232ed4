// The audit's verdicts: for each data path of a service, the storage it lands on decides whether a
// lifecycle command loses it. Each finding names the path, the command that loses it and the one-
// line fix. Pure: a unit test drives every rule, and the pitfalls example proves each end to end.
import type { SourcePosition } from './positions.ts';
import { type ServiceName, type StorageProfile, storageProfile } from '../services/registry.ts';
import { isWithin } from '../storage/paths.ts';
import type { DataPath } from './data-paths.ts';
import { withoutTag } from './image-reference.ts';
import { fatesOf, LIFECYCLE, type PruneScope, storageOf, type Fate, type Lifecycle, type Storage, type StorageMount } from './storage-map.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  service: string;
  severity: Severity;
  rule: string;
  /** The data path or mount the finding is about. */
  path: string;
  message: string;
  /** The first lifecycle command that loses the data; none for warnings and information. */
  loses?: Lifecycle;
  fix: string;
  /** Where the user's files declare what it is about (positions.ts). */
  location?: SourcePosition;
}

/** One data path as the audit sees it: where it lands and what each lifecycle command does to it. */
export interface DataPathView extends DataPath {
  /** Below a path x-persist declares ephemeral: its loss is intended. */
  ephemeral?: boolean;
  storage: Storage;
  fates: Partial<Record<Lifecycle, Fate>>;
}

export interface UpgradeView {
  image: string;
  newImageVolumes: string[];
  /** The data paths as the new image keeps them, on the same mounts. */
  dataPaths: DataPathView[];
}

export interface ServiceFacts {
  service: string;
  recognisedAs?: ServiceName;
  /** The Compose file's mounts and the anonymous volumes of the image's unmounted VOLUMEs. */
  mounts: StorageMount[];
  dataPaths: DataPathView[];
  upgrade?: UpgradeView;
  /** Paths the user declared disposable in x-persist: losing what is below them is intended. */
  ephemeral?: readonly string[];
  /** The image reference, for the pin a fix names. */
  image?: string;
  /** What the image's entrypoint script says, where the audit read it. */
  entrypoint?: EntrypointFacts;
  /** A server often run as a cache, with none of its persistence options turned on (data-paths.ts). */
  mayBeCache?: boolean;
  /** The findings for data paths in a folder named after a host name nothing pins: a new container does not find them (hostname-trap.ts). */
  strandedByHostname?: readonly Finding[];
}

/** Read from the image's entrypoint script: whether it refuses to start with a mount at a former data directory. */
export interface EntrypointFacts {
  path: string;
  refusesFormerMount: boolean;
  /** "read from the image", or where the catalogue recorded it. */
  readFrom: string;
}

/** A data path's view: its storage and fates (the upgrade column when an upgrade is known). */
export function viewOf(path: DataPath, mounts: readonly StorageMount[], newImageVolumes?: readonly string[], prune?: PruneScope): DataPathView {
  const storage = storageOf(path.path, mounts);
  return { ...path, storage, fates: fatesOf(storage, newImageVolumes ? { newImageVolumes } : undefined, prune) };
}

function firstLoss(view: DataPathView): Lifecycle | undefined {
  return LIFECYCLE.find((command) => view.fates[command] === 'lost');
}

function named(kind: Storage['kind']): boolean {
  return kind === 'named-volume' || kind === 'external-volume' || kind === 'bind-mount';
}

/** The finding for one data path's storage, if that storage loses it. */
function storageFinding(facts: ServiceFacts, view: DataPathView): Finding | undefined {
  const base = { service: facts.service, severity: 'error' as const, path: view.path, loses: firstLoss(view) };
  const where = `${view.path} (${view.why})`;
  const { storage } = view;
  switch (storage.kind) {
    case 'writable-layer':
      return {
        ...base,
        rule: 'data-in-writable-layer',
        message: `${where} is under no mount: it lives in the container's writable layer, gone whenever the container is recreated.`,
        fix: writableLayerFix(facts, view),
      };
    case 'tmpfs':
      return {
        ...base,
        rule: 'tmpfs-over-data',
        message: `${where} is on the tmpfs at ${storage.target}: memory only, empty after every start.`,
        fix: `Replace the tmpfs at ${storage.target} with a named volume.`,
      };
    case 'anonymous-volume':
      return {
        ...base,
        rule: 'anonymous-volume',
        message: `${where} is on an anonymous volume at ${storage.target} (declared without a name): \`down\` + \`up\` starts on a new, empty one.`,
        fix: `Name it: \`NAME:${storage.target}\`, with NAME under the top-level \`volumes:\`.`,
      };
    case 'image-volume': {
      const target = storage.target ?? view.path;
      const parent = facts.mounts.find((mount) => mount.kind !== 'image-volume' && mount.target !== target && isWithin(target, mount.target));
      if (parent) {
        return {
          ...base,
          rule: 'nested-anonymous-volume',
          message: `${where} is in the image's VOLUME ${target}, below the mount at ${parent.target}: Docker puts an anonymous volume at ${target}, so the data is there, not on ${parent.source ?? parent.target}; \`down\` + \`up\` starts on a new, empty one.`,
          fix: `Mount the volume at ${target} itself, not at its parent ${parent.target}.`,
        };
      }
      // Where the VOLUME also holds the files the image ships (WordPress core), a volume there would
      // freeze them: the fix mounts the data path itself.
      const at = (storageProfile(facts.recognisedAs).shippedContent ?? []).includes(target) ? view.path : target;
      return {
        ...base,
        rule: 'unmounted-volume',
        message: `${where} is in the image's VOLUME ${target}, and nothing is mounted there: an anonymous volume that \`restart\` and \`up --force-recreate\` keep, but \`down\` + \`up\` replaces with a new, empty one.`,
        fix: `Mount a named volume at ${at}: \`NAME:${at}\`.`,
      };
    }
    default:
      return undefined;
  }
}

/** Where the service's own setting moved the data off a mounted default, undoing the setting is the fix. */
function writableLayerFix(facts: ServiceFacts, view: DataPathView): string {
  const documented = storageProfile(facts.recognisedAs).dataDir;
  const mounted = documented ? facts.mounts.find((mount) => named(mount.kind) && mount.target === documented) : undefined;
  if (view.origin === 'service-setting' && mounted) {
    const setting = view.why.replace(/ in the service's .*$/, '');
    return `Remove ${setting} from the service (its volume at ${mounted.target} is where the image keeps its data), or mount a named volume at ${view.path}.`;
  }
  return `Mount a named volume at ${view.path}.`;
}

/**
 * A server that may be a cache (no persistence option turned on): losing its data may be exactly
 * what is meant, or a loss. A warning that says both readings, and how to settle it either way.
 */
function asCache(finding: Finding, view: DataPathView): Finding {
  return {
    ...finding,
    severity: 'warning',
    message: `${finding.message} If this server is a cache (none of its persistence options is on in its command), that loss is harmless; if it keeps data, it is lost.`,
    fix: `If it is a cache, declare ${view.path} ephemeral in x-persist; if it keeps data, ${finding.fix.charAt(0).toLowerCase()}${finding.fix.slice(1)}`,
  };
}

/** A loss the user declared intended: a note that says what loses it, not an error. */
function accepted(finding: Finding, ephemeral: string): Finding {
  return {
    ...finding,
    severity: 'info',
    rule: 'ephemeral-data',
    message: `${finding.message} Declared ephemeral in x-persist (${ephemeral}): that loss is intended.`,
    fix: 'Nothing to fix.',
  };
}

/** A mount at a path where an earlier layout kept the data, while this data path is elsewhere. */
export function formerDataMount(mounts: readonly StorageMount[], dataPath: string, storage: StorageProfile): StorageMount | undefined {
  return mounts.find((mount) => mount.kind !== 'image-volume' && (storage.formerDataDirs ?? []).includes(mount.target) && !isWithin(dataPath, mount.target));
}

/**
 * A mount still at a path where an earlier layout kept the data, while this image keeps it
 * elsewhere. Such a volume usually holds data of an earlier major version, which the new server
 * cannot read: moving the mount or the data directory would start an empty cluster beside it,
 * so the fix for existing data is the version it was made with; a new project mounts where
 * this image keeps its data.
 */
function movedLayoutFinding(facts: ServiceFacts, view: DataPathView, storage: StorageProfile): Finding | undefined {
  const former = formerDataMount(facts.mounts, view.path, storage);
  if (!former) return undefined;
  const mounted = describeStorage({ kind: former.kind, ...(former.source ? { source: former.source } : {}) });
  const where = `${mounted.charAt(0).toUpperCase()}${mounted.slice(1)} is mounted`;
  const pin = storage.formerLayoutUntil && facts.image ? ` (\`${withoutTag(facts.image)}:${storage.formerLayoutUntil}\`)` : '';
  const fix = `If it holds data of an earlier major version, pin the version it was made with${pin} and upgrade deliberately (pg_upgrade, or a dump and restore); for a new project, mount it at ${view.storage.target ?? view.path} instead.`;
  if (facts.entrypoint?.refusesFormerMount)
    return {
      service: facts.service,
      severity: 'error',
      rule: 'refuses-old-mount',
      path: former.target,
      message: `${where} at ${former.target}, where earlier versions kept the data, and this image's entrypoint (${facts.entrypoint.path}, ${facts.entrypoint.readFrom}) refuses to start with anything mounted there: the container exits with code 1 and the server never starts.`,
      fix,
    };
  return {
    service: facts.service,
    severity: 'error',
    rule: 'data-path-moved',
    path: view.path,
    message: `${where} at ${former.target}, where earlier versions kept the data, but this image keeps it at ${view.path} (${view.why}): the data lands on ${describeStorage(view.storage)}, and what is mounted at ${former.target} is left unused.`,
    ...(firstLoss(view) ? { loses: firstLoss(view) } : {}),
    fix,
  };
}

/**
 * Where the new image keeps the data that this path holds now, when that is off the path's mount:
 * the upgraded server then starts on other storage, and the data on the mount is left behind.
 */
export function upgradeMovesData(before: DataPathView, upgrade: Pick<UpgradeView, 'dataPaths'>): DataPathView | undefined {
  if (!named(before.storage.kind) || before.origin === 'x-persist') return undefined;
  const after = upgrade.dataPaths.find((view) => view.origin !== 'x-persist');
  if (!after) return undefined;
  return isWithin(after.path, before.storage.target ?? before.path) ? undefined : after;
}

function upgradeFindings(facts: ServiceFacts, storage: StorageProfile): Finding[] {
  const { upgrade } = facts;
  if (!upgrade) return [];
  return facts.dataPaths.flatMap((before): Finding[] => {
    const after = upgradeMovesData(before, upgrade);
    if (!after) return [];
    const mount = before.storage.target ?? before.path;
    const pin = storage.dataDirEnv ? `, or pin ${storage.dataDirEnv}=${before.path}` : '';
    return [
      {
        service: facts.service,
        severity: 'error',
        rule: 'upgrade-moves-data',
        path: before.path,
        message: `After the upgrade to ${upgrade.image}, the data is at ${after.path} (${after.why}), outside the mount at ${mount}: the new server starts on ${describeStorage(after.storage)}, not on the data in ${before.storage.source ?? mount}.`,
        loses: 'upgrade',
        fix: `Before upgrading, mount the volume where ${upgrade.image} keeps its data (${after.storage.target ?? after.path}) and move the data as its release notes say${pin}.`,
      },
    ];
  });
}

function shippedContentFindings(facts: ServiceFacts, storage: StorageProfile): Finding[] {
  return (storage.shippedContent ?? []).flatMap((content) => {
    const mount = facts.mounts.find((m) => (m.kind === 'named-volume' || m.kind === 'external-volume') && isWithin(content, m.target));
    if (!mount) return [];
    // The data below the shipped content is what deserves the volume (WordPress: wp-content).
    const data = facts.dataPaths.find((path) => path.path !== content && isWithin(path.path, content));
    const fix = data
      ? `Mount the volume at ${data.path} (where the data is) instead of ${mount.target}, so the image's own files come from the image; or update them yourself on each upgrade.`
      : `Mount only the folders that hold data below ${content}, or update that content yourself on each upgrade.`;
    return [
      {
        service: facts.service,
        severity: 'warning' as const,
        rule: 'volume-freezes-image-content',
        path: content,
        message: `${mount.target === content ? `The named volume at ${content} holds` : `The named volume at ${mount.target} covers ${content}, with`} the files the image ships there: it got them once, while empty, and a newer image's files never reach it.`,
        fix,
      },
    ];
  });
}

function informationFindings(facts: ServiceFacts): Finding[] {
  return facts.mounts.flatMap((mount): Finding[] => {
    const base = { service: facts.service, severity: 'info' as const, path: mount.target, fix: 'Nothing to fix.' };
    if (mount.kind === 'bind-mount' && mount.writtenSource !== undefined) {
      return [
        {
          ...base,
          rule: 'relative-bind',
          message: `${mount.target} is the project folder ${mount.writtenSource} (here ${mount.source}): persist never writes to it.`,
        },
      ];
    }
    if (mount.kind === 'external-volume') {
      return [
        {
          ...base,
          rule: 'external-volume',
          message: `${mount.target} is the external volume ${mount.source}: made and kept outside this project, and persist never touches it.`,
        },
      ];
    }
    return [];
  });
}

function describeStorage(storage: Storage): string {
  const at = storage.target ? ` at ${storage.target}` : '';
  const names: Record<Storage['kind'], string> = {
    'named-volume': 'the named volume',
    'external-volume': 'the external volume',
    'bind-mount': 'the bind mount',
    tmpfs: 'a tmpfs',
    'anonymous-volume': 'an anonymous volume',
    'image-volume': 'an anonymous volume',
    'writable-layer': "the container's writable layer",
  };
  return `${names[storage.kind]}${storage.source ? ` ${storage.source}` : ''}${at}`;
}

/** Every finding for one service, errors first. */
export function findingsFor(facts: ServiceFacts, fixedNames: ReadonlySet<string> = new Set()): Finding[] {
  const storage = storageProfile(facts.recognisedAs);
  const findings: Finding[] = [];
  for (const view of facts.dataPaths) {
    const moved = movedLayoutFinding(facts, view, storage);
    const stranded = facts.strandedByHostname?.find((finding) => finding.path === view.path);
    const lost = stranded ?? storageFinding(facts, view);
    const finding = moved ?? (lost && facts.mayBeCache ? asCache(lost, view) : lost);
    const disposable = (facts.ephemeral ?? []).find((path) => isWithin(view.path, path));
    if (finding && disposable !== undefined) findings.push(accepted(finding, disposable));
    else if (finding) findings.push(finding);
  }
  findings.push(...upgradeFindings(facts, storage), ...shippedContentFindings(facts, storage), ...informationFindings(facts));
  for (const mount of facts.mounts) {
    if (mount.kind === 'named-volume' && mount.source !== undefined && fixedNames.has(mount.source)) {
      findings.push({
        service: facts.service,
        severity: 'info',
        rule: 'fixed-volume-name',
        path: mount.target,
        message: `${mount.target} is the volume ${mount.source}, a name fixed by \`name:\` rather than scoped to the project: anything else using that name shares it, and persist never touches it.`,
        fix: 'Nothing to fix.',
      });
    }
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
}
