// A container that runs one shell script and exits, like `docker run --rm image sh -c …`:
// its exit code and output are the answer. Backups, restores and file listings run this way.
import { removeContainer, waitForExit } from './containers.ts';
import { docker } from './engine.ts';
import type { RunScope } from './run-scope.ts';

export interface OneShotSpec {
  image: string;
  script: string;
  /** `source:target[:mode]`, as for `docker run -v`. */
  binds: string[];
  /** What the container is for, in its label. */
  purpose: string;
  user?: string;
  timeoutMs?: number;
  /** Keep the exited container (to commit it, say); by default it is removed, like `docker run --rm`. */
  keep?: boolean;
}

export interface OneShotResult {
  id: string;
  exitCode: number;
  logs: string;
}

export async function runOneShot(scope: RunScope, spec: OneShotSpec): Promise<OneShotResult> {
  const container = await docker().createContainer({
    Image: spec.image,
    Cmd: ['sh', '-c', spec.script],
    Labels: scope.labels(spec.purpose),
    ...(spec.user ? { User: spec.user } : {}),
    HostConfig: { Binds: spec.binds },
  });
  scope.trackContainer(container.id);
  try {
    await container.start();
    return { id: container.id, ...(await waitForExit(container.id, spec.timeoutMs)) };
  } finally {
    // An exited container still holds its volumes: a volume it used could not be removed.
    if (!spec.keep) await removeContainer(container.id);
  }
}
