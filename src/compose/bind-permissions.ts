// The seed's first problem, "permission denied" on a bind mount: a server that runs as a user
// other than root writes its data into a host folder it does not own. Docker creates a missing
// host folder of the short syntax as root:root 755 at the first `up`; the long syntax refuses to
// create the container instead. The official database images start as root and chown their data
// directory before dropping to their user, so only an image whose USER (or a service's `user:`)
// is not root is judged here. Pure: the folders' owners and modes are read by the audit, once.
import type { Finding } from './findings.ts';
import type { DataPathView } from './findings.ts';
import type { StorageMount } from './storage-map.ts';
import { isWithin } from '../storage/paths.ts';

/** Who a service's process runs as, where that is not root. */
export interface RunsAs {
  /** As written: `1001`, `472:0`, `nobody`. */
  user: string;
  uid?: number;
  gid?: number;
  /** Compose's `user:` overrides the image's USER. */
  from: 'compose' | 'image';
}

/** A bind mount's host folder as this machine has it (read, never changed). */
export type HostFolder = { exists: false } | { exists: true; uid: number; gid: number; mode: number };

/** The user a service runs as, or undefined for root (an empty USER, `root`, uid 0). */
export function runsAs(composeUser: string | null | undefined, imageUser: string): RunsAs | undefined {
  const from = composeUser ? 'compose' : 'image';
  const user = (composeUser || imageUser).trim();
  const [name = '', group] = user.split(':');
  if (name === '' || name === 'root' || name === '0') return undefined;
  const number = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
  const uid = number(name);
  const gid = number(group);
  return { user, from, ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}) };
}

/**
 * Whether the user can create files in the folder, as the kernel decides: owner, group or other
 * write and search bits. Undefined where it cannot be known here: a user named, not numbered, in
 * a folder some user other than root owns (the name's uid is the image's to say).
 */
export function canWrite(user: RunsAs, folder: Extract<HostFolder, { exists: true }>): boolean | undefined {
  const bits = (shift: number) => ((folder.mode >> shift) & 0o3) === 0o3;
  if (bits(0)) return true;
  if (user.uid === undefined) return folder.uid === 0 ? false : undefined;
  if (folder.uid === user.uid) return bits(6);
  if (user.gid !== undefined && folder.gid === user.gid) return bits(3);
  return false;
}

/** The bind mount a data path lands on, at the path itself or above it. */
function bindOf(view: DataPathView, mounts: readonly StorageMount[]): StorageMount | undefined {
  return mounts
    .filter((mount) => mount.kind === 'bind-mount' && !mount.readOnly && isWithin(view.path, mount.target))
    .sort((a, b) => b.target.length - a.target.length)[0];
}

const modeText = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');

/** The owner a fix gives the folder: the uid (and group) the service runs as, or its name where the image names it. */
function ownerOf(user: RunsAs): string {
  return user.uid !== undefined ? `${user.uid}${user.gid !== undefined ? `:${user.gid}` : ''}` : user.user;
}

export interface BindPermissionFacts {
  service: string;
  runsAs: RunsAs | undefined;
  dataPaths: readonly DataPathView[];
  mounts: readonly StorageMount[];
  folders: ReadonlyMap<string, HostFolder>;
}

/** `bind-source-missing` for a long-syntax bind whose folder is not there; `cannot-write-data-path` where a non-root server cannot write its data. */
export function bindPermissionFindings(facts: BindPermissionFacts): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const view of facts.dataPaths) {
    const bind = bindOf(view, facts.mounts);
    if (!bind?.source || seen.has(bind.source)) continue;
    seen.add(bind.source);
    const folder = facts.folders.get(bind.source);
    if (!folder) continue;
    const shown = bind.writtenSource ?? bind.source;
    const finding = (rule: string, message: string, fix: string): Finding => ({
      service: facts.service,
      severity: 'error',
      rule,
      path: view.path,
      message,
      fix,
    });
    const user = facts.runsAs;
    const chown = user ? ` && sudo chown ${ownerOf(user)} ${shown}` : '';
    if (!folder.exists && !bind.createsHostPath) {
      findings.push(
        finding(
          'bind-source-missing',
          `${view.path} is the host folder ${shown}, which does not exist, and the long syntax (\`type: bind\`) does not create it: Docker refuses to create the container ("bind source path does not exist").`,
          `Create the folder before the first \`up\`: \`mkdir -p ${shown}${chown}\`.`,
        ),
      );
      continue;
    }
    if (!user) continue;
    const runs = `${facts.service} runs as ${user.user} (${user.from === 'compose' ? 'its `user:`' : "its image's USER"})`;
    if (!folder.exists) {
      findings.push(
        finding(
          'cannot-write-data-path',
          `${view.path} is the host folder ${shown}, which does not exist: Docker creates it owned by root, mode 755, at the first \`up\`, and ${runs}: the server will not start (permission denied writing ${view.path}).`,
          `Create the folder owned by the user the image runs as before the first start: \`mkdir -p ${shown}${chown}\`${user.uid === undefined ? ` (the uid ${user.user} has in the image: \`docker run --rm --entrypoint id IMAGE\`)` : ''}.`,
        ),
      );
    } else if (canWrite(user, folder) === false) {
      findings.push(
        finding(
          'cannot-write-data-path',
          `${view.path} is the host folder ${shown}, owned by ${folder.uid}:${folder.gid} with mode ${modeText(folder.mode)}, and ${runs}: the server will not start (permission denied writing ${view.path}).`,
          `Give the folder to the user the image runs as: \`sudo chown -R ${ownerOf(user)} ${shown}\`${user.uid === undefined ? ` (the uid ${user.user} has in the image: \`docker run --rm --entrypoint id IMAGE\`)` : ''}.`,
        ),
      );
    }
  }
  return findings;
}
