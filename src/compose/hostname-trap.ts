// A server that keeps its data in a folder named after the container's host name (RabbitMQ: its
// node rabbit@<host name> in mnesia/rabbit@<host name>). Docker names a container's host after
// the container's id, so every new container (up --force-recreate, down + up, an upgrade) is a
// new, empty node on the same volume: the data is still there, and nothing reads it. Pinned by
// `hostname:`, or by naming the node with its host in the profile's variable. Pure.
import type { StorageProfile } from '../services/registry.ts';
import type { DataPathView, Finding } from './findings.ts';
import type { Lifecycle } from './storage-map.ts';

/** The commands that make a new container: with a host name not pinned, a new node. */
// After a prune, the next `up` makes a new container too: a volume the prune spared is found by no one.
const NEW_CONTAINER: readonly Lifecycle[] = ['up --force-recreate', 'down + up', 'down + volume prune', 'upgrade'];

export interface HostnameFacts {
  hostname: string | null;
  environment: Readonly<Record<string, string | null>>;
}

/** What names the node, or undefined when nothing pins it (each new container has a new host name). */
export function pinnedBy(service: HostnameFacts, storage: StorageProfile): string | undefined {
  const trap = storage.dataUnderHostname;
  if (trap === undefined) return 'its data does not follow the host name';
  if (service.hostname !== null) return `hostname: ${service.hostname}`;
  const nodeName = service.environment[trap.nodeNameEnv];
  // A node name without "@host" still takes the host part from the host name.
  if (nodeName?.includes('@')) return `${trap.nodeNameEnv}=${nodeName}`;
  return undefined;
}

/**
 * The data paths a new container would not find again: those on storage that outlives the
 * container, of a service whose host name nothing pins. Their fates for every command that makes
 * a new container become lost.
 */
export function strandedByHostname(views: readonly DataPathView[], service: HostnameFacts, storage: StorageProfile): DataPathView[] {
  if (pinnedBy(service, storage) !== undefined) return [];
  return views.filter((view) => view.fates['up --force-recreate'] === 'kept');
}

/** Every command that makes a new container loses the stranded views' data (their fates change in place). */
export function loseOnNewContainer(stranded: readonly DataPathView[]): void {
  for (const view of stranded) for (const command of NEW_CONTAINER) if (view.fates[command] === 'kept') view.fates[command] = 'lost';
}

/** The finding for a data path a new container would not find again. */
export function hostnameFinding(service: string, view: DataPathView, storage: StorageProfile): Finding {
  const folder = storage.dataUnderHostname?.folder ?? 'a folder named after the host name';
  const variable = storage.dataUnderHostname?.nodeNameEnv;
  return {
    service,
    severity: 'error',
    rule: 'hostname-not-pinned',
    path: view.path,
    loses: 'up --force-recreate',
    message: `${view.path} keeps the data in ${folder}, and this service sets no \`hostname:\`: every new container (up --force-recreate, down + up, an upgrade) gets its id as host name and starts a new, empty node on the same storage. The old data stays there, unread.`,
    fix: `Set \`hostname:\` on the service (for example \`hostname: ${service}\`)${variable ? `, or name the node with its host in ${variable} (rabbit@${service})` : ''}, so that every container of it is the same node. Data already written under an old host name is read again only under that name.`,
  };
}
