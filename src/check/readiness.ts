// When a service of the copy is ready for the check to write or read: its container runs and
// then, in this order of preference, the user's own `ready` from x-persist (a command, a log line
// since the container started, or its healthcheck), or the registry's ready command for a server
// it recognises. A file written into a data directory before the server has initialised it would
// make the server refuse it, so this waits; an exited container is the service's answer at once.
import type { Audit } from '../report/model.ts';
import type { ReadySetting } from '../compose/x-persist.ts';
import { docker } from '../docker/engine.ts';
import { execIn } from '../docker/exec.ts';
import { demultiplexLogs } from '../docker/log-frames.ts';
import { linesSinceStart, sinceSecondOf } from '../docker/lines-since-start.ts';
import { storageProfile } from '../services/registry.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import { lastLines } from '../terminal/last-lines.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';

const READY_LIMIT_MS = 120_000;
const LOG_TAIL_LINES = 5;

type Check = () => Promise<boolean>;

function readyCheck(id: string, recognisedAs: string | undefined, setting: ReadySetting | undefined): [Check, string] | undefined {
  if (typeof setting === 'string') return [async () => (await execIn(id, ['sh', '-c', setting])).exitCode === 0, `\`${setting}\` kept failing`];
  if (setting && 'log' in setting) {
    const pattern = new RegExp(setting.log);
    return [async () => pattern.test(await logsSinceStart(id)), `no log line since the start matched /${setting.log}/`];
  }
  if (setting && 'healthcheck' in setting) return [async () => (await healthOf(id)) === 'healthy', 'its healthcheck did not report healthy'];
  const command = storageProfile(recognisedAs).readyCommand;
  if (!command) return undefined;
  return [async () => (await execIn(id, [...command])).exitCode === 0, `\`${command.join(' ')}\` kept failing`];
}

/** Why the service is not ready (with its last log lines when it exited), or undefined once it is. */
export async function untilReady(stack: ComposeStack, service: Audit['services'][number], setting?: ReadySetting): Promise<string | undefined> {
  const deadline = deadlineIn(READY_LIMIT_MS);
  for (;;) {
    if (!stack.hasContainer(service.service)) return `${service.service} has no container`;
    const id = stack.containerId(service.service);
    const exited = await exitedReason(stack, service.service);
    if (exited) return exited;
    const check = readyCheck(id, service.recognisedAs, setting);
    if (!check || (await check[0]())) return undefined;
    if (deadline.passed()) return `${service.service} was not ready after ${READY_LIMIT_MS / 1000} s (${check[1]})${await logTail(stack, service.service)}`;
    await sleep(250);
  }
}

/** "db exited with code 1; its last log lines: …" for a service whose container is not running; undefined while it runs. */
export async function exitedReason(stack: ComposeStack, service: string): Promise<string | undefined> {
  const state = await stack.inspect(service);
  return state.running ? undefined : `${service} exited with code ${state.exitCode}${await logTail(stack, service)}`;
}

/** The container's last log lines, credentials hidden: what a reader needs to see why it stopped. */
export async function logTail(stack: ComposeStack, service: string): Promise<string> {
  const tail = lastLines(await stack.logs(service).catch(() => ''), LOG_TAIL_LINES).replace(/[ \t]+/g, ' ');
  return tail === '' ? '' : `; its last log lines: ${stack.redact(tail)}`;
}

async function logsSinceStart(id: string): Promise<string> {
  const container = docker().getContainer(id);
  const { State } = await container.inspect();
  const raw = (await container.logs({ stdout: true, stderr: true, timestamps: true, since: sinceSecondOf(State.FinishedAt) })) as unknown as Buffer;
  const lines = demultiplexLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).split('\n');
  return linesSinceStart(lines, State.StartedAt, State.FinishedAt).join('\n');
}

async function healthOf(id: string): Promise<string | undefined> {
  return (await docker().getContainer(id).inspect()).State.Health?.Status;
}
