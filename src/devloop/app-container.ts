// A development-loop app container, as the seed runs it: `docker run -d -p PORT -v HOST:/app
// -v /app/node_modules IMAGE`, or one of the setups that break the loop. Ports are published on
// the address the harness connects to, like every container it starts.
import { connectHost, publishAddress } from '../docker/host-only-container.ts';
import { inspectContainer, mappedPort, readLogs } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';

/** Where /app comes from: the host folder, a named volume, or the image alone (`COPY . .`). */
export type AppMount = { kind: 'bind'; folder: string } | { kind: 'volume'; name: string } | { kind: 'image' };

export interface AppContainerSpec {
  image: string;
  port: number;
  env: Record<string, string>;
  app: AppMount;
  /** An anonymous volume over the image's modules (`-v /app/node_modules`). */
  modulesVolume?: string;
}

export interface AppContainer {
  id: string;
  url: string;
  /** The same container as `docker run` options, for the report. */
  mounts: string;
}

export async function startAppContainer(scope: RunScope, spec: AppContainerSpec): Promise<AppContainer> {
  const binds = spec.app.kind === 'bind' ? [`${spec.app.folder}:/app`] : spec.app.kind === 'volume' ? [`${spec.app.name}:/app`] : [];
  const address = await publishAddress();
  const container = await docker().createContainer({
    Image: spec.image,
    Labels: scope.labels('devloop-app'),
    Env: Object.entries(spec.env).map(([name, value]) => `${name}=${value}`),
    ExposedPorts: { [`${spec.port}/tcp`]: {} },
    ...(spec.modulesVolume ? { Volumes: { [spec.modulesVolume]: {} } } : {}),
    HostConfig: { Binds: binds, PortBindings: { [`${spec.port}/tcp`]: [{ HostIp: address ?? '', HostPort: '' }] } },
  });
  // Removed with its anonymous volume when the trial's scope is disposed.
  scope.trackContainer(container.id);
  await container.start();
  const url = `http://${await connectHost()}:${await mappedPort(container.id, spec.port)}`;
  return { id: container.id, url, mounts: describeMounts(spec) };
}

export function describeMounts(spec: Pick<AppContainerSpec, 'app' | 'modulesVolume' | 'env'>): string {
  const app =
    spec.app.kind === 'bind'
      ? '-v HOST_FOLDER:/app'
      : spec.app.kind === 'volume'
        ? '-v NAMED_VOLUME:/app'
        : 'no mount at /app (the source baked in by COPY . .)';
  const env = Object.entries(spec.env).map(([name, value]) => `-e ${name}=${value}`);
  return [app, ...(spec.modulesVolume ? [`-v ${spec.modulesVolume}`] : []), ...env].join(' ');
}

export async function isRunning(id: string): Promise<{ running: boolean; exitCode: number }> {
  const state = await inspectContainer(id);
  return { running: state.running, exitCode: state.exitCode };
}

export { readLogs };
