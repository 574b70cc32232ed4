// How `persist check` will run a copy of a user's Compose project that cannot touch the original:
// a project name of its own, and an override file (given after the user's files) that replaces
// everything the original shares with the world. Pure: the input is Compose's canonical model,
// the output the override text and what must be copied first; Compose applies the override.
//
// - external volumes and volumes with a fixed `name:` become volumes of the copy;
// - bind sources are copied into scratch folders, and the copies mounted (config files keep working),
//   each as Docker would find the user's: owners and modes kept, a missing short-syntax folder made
//   as Docker makes it (root, 755), a missing long-syntax one left missing (Docker refuses it);
// - `container_name`s are renamed, external networks replaced by the copy's own;
// - a service the project builds runs the image the user built (its default name is the
//   project's), never one Compose would build anew for the copy;
// - published ports become ephemeral ports on the address the harness connects to (`!override`:
//   Compose would otherwise merge the port lists), and so does a database's port the harness's
//   probe connects to where the project publishes none;
// - every container, volume and network carries the run label, so the harness's sweep finds them.
import { join } from 'node:path';
import { Document, type Node } from 'yaml';
import { RUN_LABEL } from '../docker/labels.ts';
import type { ComposeModel } from './compose-model.ts';

export interface CopyPlan {
  projectName: string;
  /** The override file's text (YAML: it needs Compose's `!override` tag). */
  override: string;
  /** Host folders copied before the copy starts: the user's bind source, and where its copy goes. */
  bindCopies: Array<{ service: string; target: string; from: string; to: string; createsHostPath: boolean }>;
  /** The user's shared volumes and networks, and what the copy uses instead. */
  replaced: Array<{ kind: 'volume' | 'network'; original: string; copy: string }>;
}

export interface CopyOptions {
  /** The copy's own Compose project name (copyProjectName). */
  projectName: string;
  runId: string;
  /** Where the bind sources' copies go (the run's temp root). */
  scratchRoot: string;
  /** Where published ports go: the address the harness connects to. */
  publishAddress: string;
  /** Ports the harness's probes connect to (a database's), published too where the project does not. */
  probePorts?: Record<string, number[]>;
  /** Host ports chosen for container ports that must keep their address across recreates. */
  fixedPorts?: Record<string, Record<number, number>>;
}

function safe(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]+/g, '-');
}

/** persist-<run id>, and the copy's name where one run makes several. */
export function copyProjectName(runId: string, name?: string): string {
  return name ? `persist-${runId}-${name}` : `persist-${runId}`;
}

export function planCopy(resolved: unknown, options: CopyOptions): CopyPlan {
  const project = resolved as ComposeModel;
  const { projectName } = options;
  const labels = { [RUN_LABEL]: options.runId };
  const replaced: CopyPlan['replaced'] = [];
  const bindCopies: CopyPlan['bindCopies'] = [];

  const volumes: Record<string, object> = {};
  for (const [key, volume] of Object.entries(project.volumes ?? {})) {
    const shared = volume.external === true || (volume.name !== undefined && volume.name !== `${project.name}_${key}`);
    const copy = `${projectName}_${key}`;
    if (shared) replaced.push({ kind: 'volume', original: volume.name ?? key, copy });
    volumes[key] = shared ? { external: false, name: copy, labels } : { labels };
  }
  const networks: Record<string, object> = {};
  for (const [key, network] of Object.entries(project.networks ?? {})) {
    if (network.external !== true) {
      networks[key] = { labels };
      continue;
    }
    const copy = `${projectName}_${key}`;
    replaced.push({ kind: 'network', original: network.name ?? key, copy });
    networks[key] = { external: false, name: copy, labels };
  }

  const doc = new Document({});
  const services: Record<string, Record<string, unknown>> = {};
  for (const [name, service] of Object.entries(project.services ?? {})) {
    const override: Record<string, unknown> = { labels };
    if (service.container_name !== undefined) override.container_name = `${projectName}-${name}`;
    if (service.build !== undefined && service.image === undefined) override.image = `${project.name}-${name}`;
    const binds = (service.volumes ?? []).filter((mount) => mount.type === 'bind' && mount.source !== undefined);
    if (binds.length > 0) {
      override.volumes = binds.map((mount, index) => {
        const to = join(options.scratchRoot, safe(name), `${index}-${safe(mount.target)}`);
        bindCopies.push({ service: name, target: mount.target, from: mount.source ?? '', to, createsHostPath: mount.bind?.create_host_path === true });
        // Compose interpolates the override too: a `$` in the scratch path would be read as a variable.
        return { type: 'bind', source: to.replaceAll('$', '$$'), target: mount.target, read_only: mount.read_only === true };
      });
    }
    services[name] = override;
  }
  const root: Record<string, unknown> = { services };
  if (Object.keys(volumes).length > 0) root.volumes = volumes;
  if (Object.keys(networks).length > 0) root.networks = networks;
  doc.contents = doc.createNode(root, { aliasDuplicateObjects: false }) as typeof doc.contents;
  // Ports are replaced, not merged: Compose's `!override` tag on the service's list.
  for (const [name, service] of Object.entries(project.services ?? {})) {
    const targets = (service.ports ?? []).map((port) => ({ port: port.target, protocol: port.protocol ?? 'tcp' }));
    for (const probe of options.probePorts?.[name] ?? [])
      if (!targets.some((target) => target.port === probe && target.protocol === 'tcp')) targets.push({ port: probe, protocol: 'tcp' });
    if (targets.length === 0) continue;
    const hostPort = (port: number) => options.fixedPorts?.[name]?.[port] ?? '';
    const ports = doc.createNode(targets.map(({ port, protocol }) => `${options.publishAddress}:${hostPort(port)}:${port}/${protocol}`)) as Node;
    ports.tag = '!override';
    doc.setIn(['services', name, 'ports'], ports);
  }
  return { projectName, override: doc.toString(), bindCopies, replaced };
}
