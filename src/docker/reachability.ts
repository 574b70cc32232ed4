// Before any drill: can this process reach a port the engine publishes? If it cannot (a harness
// running in a container whose resolved host is not the engine's, a firewall, a remote engine
// behind NAT), every server looks like it never started, and each drill waits out its readiness
// limit: a whole CI budget spent saying nothing useful. One small listener answers it in seconds.
import { connect } from 'node:net';
import { HarnessError } from '../errors.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';
import { removeContainer } from './containers.ts';
import { docker, ensureImage } from './engine.ts';
import { HostOnlyContainer, publishAddress } from './host-only-container.ts';
import { runLabels } from './labels.ts';

const LISTENER_PORT = 8080;
const ANSWER = 'persist-reachable';
// busybox's nc: in alpine (the official toolbox) and in the stand-in. Each connection gets one line.
const LISTENER = `trap "exit 0" TERM INT; while true; do echo ${ANSWER} | busybox nc -l -p ${LISTENER_PORT}; done`;
const REACH_LIMIT_MS = 20_000;

export class PortsUnreachableError extends HarnessError {
  constructor(detail: string, options?: ErrorOptions) {
    super(
      `This machine cannot connect to ports the Docker engine publishes (${detail}).`,
      'Set TESTCONTAINERS_HOST_OVERRIDE to an address of the engine host that this machine can reach, then run `persist doctor`.',
      options,
    );
  }
}

/** Reads what the listener says, or '' when the connection is refused or closes silently. */
function answerAt(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host, port, timeout: 2_000 });
    const settle = () => {
      socket.destroy();
      resolve(received);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.includes(ANSWER)) settle();
    });
    socket.once('end', settle).once('error', settle).once('timeout', settle);
  });
}

// The run that has proven it: `persist run` checks before vitest starts, and vitest's global
// setup (which runs per project) then does not check again for the same run. A child process
// inherits the variable, so it names the run: another run (a test that starts `persist run`)
// checks for itself.
const CHECKED_ENV = 'PERSIST_PORTS_REACH_RUN';

/** Proves published ports reach this process, once per run; returns where it connected. */
/** The toolbox image as the run chose it: a stand-in ('local') is built here, never pulled. */
interface ToolboxImage {
  reference: string;
  source: string;
}

export async function ensurePublishedPortsReach(toolbox: ToolboxImage, runId: string): Promise<string | undefined> {
  if (process.env[CHECKED_ENV] === runId) return undefined;
  await ensureImage(toolbox.reference, toolbox.source === 'local');
  const reached = await checkPublishedPortsReach(toolbox.reference, runLabels(runId, 'port-reachability'));
  process.env[CHECKED_ENV] = runId;
  return reached;
}

/** Starts a listener on a published port and connects to it as every drill will; returns host:port. */
export async function checkPublishedPortsReach(toolboxImage: string, labels: Record<string, string>): Promise<string> {
  const address = await publishAddress();
  const listener = new HostOnlyContainer(toolboxImage).withCommand(['sh', '-c', LISTENER]).withExposedPorts(LISTENER_PORT).withLabels(labels);
  const started = await listener.start().catch(async (error: unknown) => {
    // The engine created the container before it failed to publish the port: not left behind.
    await removeLabelled(labels);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PortsUnreachableError(`the engine could not publish a port on ${address ?? 'every interface'}: ${reason}`, { cause: error });
  });
  try {
    const host = started.getHost();
    const port = started.getMappedPort(LISTENER_PORT);
    const deadline = deadlineIn(REACH_LIMIT_MS);
    while (!(await answerAt(host, port)).includes(ANSWER)) {
      if (deadline.passed()) {
        throw new PortsUnreachableError(`nothing answered at ${host}:${port}, published on ${address ?? 'every interface'}, within ${REACH_LIMIT_MS / 1000} s`);
      }
      await sleep(250);
    }
    return `${host}:${port}`;
  } finally {
    await removeContainer(started.getId());
  }
}

async function removeLabelled(labels: Record<string, string>): Promise<void> {
  const label = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  const containers = await docker().listContainers({ all: true, filters: { label } });
  await Promise.all(containers.map((c) => removeContainer(c.Id)));
}
