// The seed's three containers on one named volume: a producer appending numbered, timestamped
// lines to /data/messages.log, a consumer following it, and nginx serving the same volume.
// Every line must reach the consumer and the web server in order, with no gap and no
// duplicate; a recreated producer must append after the last line; recreating all three must
// leave the log intact. With the consumer on a volume of its own, the check must fail.
import { readFile } from 'node:fs/promises';
import { type StartedTestContainer } from 'testcontainers';
import { HostOnlyContainer } from '../docker/host-only-container.ts';
import { mappedPort, readLogs, removeContainer, stopGracefully } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { StepTimeoutError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, ItemOutcome, Observation } from '../report/model.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';
import { httpRequest } from '../web/http.ts';
import { itemsRecord, type TrialRecord } from '../drill/assemble.ts';
import { type ImagesDrillContext, identify, runDrill } from '../drill/drill.ts';
import { deadlineIn, round, sleep, stopwatch } from '../timing/clock.ts';

/** The seed writes every 5 s; 0.2 s keeps a trial short and still shows ordering and gaps. */
const INTERVAL_S = 0.2;
const LINES_PER_PHASE = 10;
const PHASE_TIMEOUT_MS = 60_000;

/**
 * Each line: "<seq> <uptime> Hello from producer". The sequence continues after the last line
 * already in the log, so a recreated producer appends instead of starting again. TERM is
 * trapped: a shell as PID 1 would otherwise ignore it and be killed after the stop timeout.
 */
const PRODUCER = [
  'trap "exit 0" TERM INT',
  'last=$(tail -n 1 /data/messages.log 2>/dev/null | cut -d" " -f1)',
  'seq=$(( ${last:-0} + 1 ))',
  `while true; do echo "$seq $(cut -d" " -f1 /proc/uptime) Hello from producer" >> /data/messages.log; seq=$((seq + 1)); sleep ${INTERVAL_S} & wait $!; done`,
].join('\n');

/** The broken producer of the negative control: it empties the log and starts again at 1. */
const TRUNCATING_PRODUCER = PRODUCER.replace('last=$(tail -n 1 /data/messages.log 2>/dev/null | cut -d" " -f1)', ': > /data/messages.log; last=0');

/** Follows the log from its first line and prints each line with the uptime it was seen at. */
const CONSUMER = [
  'trap \'kill "$reader" 2>/dev/null; exit 0\' TERM INT',
  'touch /data/messages.log',
  'tail -n +1 -F /data/messages.log 2>/dev/null | while read -r line; do echo "seen $(cut -d" " -f1 /proc/uptime) $line"; done &',
  'reader=$!',
  'wait "$reader"',
].join('\n');

export const SHARED_ITEMS = [
  'consumer saw every line, in order',
  'web server served every line, in order',
  'recreated producer appends after the last line',
  'log intact after recreating all three',
  'shell loops stop on TERM, not killed',
] as const;
export type SharedItem = (typeof SHARED_ITEMS)[number];

export interface SharedSetup {
  name: string;
  title: string;
  /** False for a negative control: the consumer gets a volume of its own. */
  consumerShares: boolean;
  /** True for a negative control: the producer truncates the log when it starts. */
  producerTruncates?: boolean;
  expected: Record<SharedItem, Observation>;
}

export type SharedContext = ImagesDrillContext<'toolbox' | 'nginx'>;

interface Stack {
  producer: StartedTestContainer;
  consumer: StartedTestContainer;
  web: StartedTestContainer;
}

export async function runSharedVolumeChecks(scenario: string, setup: SharedSetup, context: SharedContext): Promise<CellResult> {
  const id = `toolbox/named-volume/recreate/${setup.name}`;
  const identity = identify(
    { target: 'toolbox', storage: 'named-volume', disruption: 'recreate', variant: setup.name },
    { scenario, title: `Shared volume: ${setup.title}`, expected: 'survives' },
  );
  return runDrill({ identity, image: context.images.toolbox.reference, runTrial: (trial, scope) => runTrial(id, setup, context, trial, scope) }, context);
}

/** One trial's running stack and what it has seen so far. */
interface Trial {
  id: string;
  trial: number;
  setup: SharedSetup;
  stack: Stack;
  start: Record<keyof Stack, () => Promise<StartedTestContainer>>;
  observed: Partial<Record<SharedItem, Observation>>;
  evidence: string[];
  stopMs: number[];
  exits: string[];
}

async function runTrial(id: string, setup: SharedSetup, context: SharedContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const shared = await scope.createVolume('shared-data');
  const consumerVolume = setup.consumerShares ? shared : await scope.createVolume('consumer-own-data');
  const toolbox = context.images.toolbox.reference;
  const start = {
    producer: () => shell(scope, toolbox, 'producer', setup.producerTruncates ? TRUNCATING_PRODUCER : PRODUCER, shared, '/data'),
    consumer: () => shell(scope, toolbox, 'consumer', CONSUMER, consumerVolume, '/data'),
    web: () => nginx(scope, context.images.nginx.reference, shared),
  };
  const t: Trial = { id, trial, setup, start, stack: await startAll(start), observed: {}, evidence: [], stopMs: [], exits: [] };
  const sharedBy = setup.consumerShares ? 'consumer (/data)' : `NOT the consumer (it has ${consumerVolume})`;
  t.evidence.push(`volume ${shared} shared by producer (/data), web (/usr/share/nginx/html) and ${sharedBy}`);
  // Delays count only lines written once all three run: earlier ones waited for a reader.
  const measuringFrom = await hostUptime();
  const [webDelays] = await Promise.all([watchWeb(t.stack.web, LINES_PER_PHASE, measuringFrom), untilLogHas(t.stack, LINES_PER_PHASE)]);
  const linesAfterProducer = await recreateProducer(t);
  const consumerSeen = await checkReaders(t, linesAfterProducer);
  const intact = await recreateAll(t);
  for (const role of ROLES) await stop(t, role);
  // A clean exit is 0; 137 would be Docker's kill after the timeout, anything else a crash.
  const unclean = t.exits.filter((exit) => !exit.endsWith(' 0'));
  t.observed['shell loops stop on TERM, not killed'] = unclean.length === 0 ? 'visible' : 'absent';
  const stops = t.exits.map((exit, i) => `${exit} in ${t.stopMs[i]} ms`).join(', ');
  t.evidence.push(`stops: ${stops}${unclean.length > 0 ? ` — NOT clean: ${unclean.join(', ')}` : ' (exit code: all 0)'}`);

  const delays = consumerSeen.filter((s) => s.writtenAt >= measuringFrom).map((s) => round((s.seenAt - s.writtenAt) * 1000));
  const items: ItemOutcome[] = SHARED_ITEMS.map((item) => ({ item, expected: setup.expected[item], observed: t.observed[item] ?? 'absent' }));
  return itemsRecord({
    trial,
    items,
    observed: intact ? 'survives' : 'lost',
    cleanShutdown: unclean.length === 0,
    measurements: {
      'producer write → consumer sees it': { clock: 'kernel-uptime', ms: delays },
      'producer write → web serves it': { clock: 'kernel-uptime', ms: webDelays },
      'graceful stop of a container': { clock: 'harness', ms: t.stopMs },
    },
    imageId: (await docker().getImage(toolbox).inspect()).Id,
    serverVersion: 'shell loops in the toolbox image; nginx',
    evidence: t.evidence,
  });
}

const ROLES = ['producer', 'consumer', 'web'] as const;

async function startAll(start: Trial['start']): Promise<Stack> {
  return { producer: await start.producer(), consumer: await start.consumer(), web: await start.web() };
}

async function stop(t: Trial, role: keyof Stack): Promise<void> {
  const container = t.stack[role];
  const clock = stopwatch();
  const state = await stopGracefully(container.getId());
  t.stopMs.push(clock.ms());
  t.exits.push(`${role} ${state.exitCode}`);
  await removeContainer(container.getId());
}

/** A log that kept every earlier line, in order, and goes on without a gap. */
export function continuesLog(before: string[], after: string[]): boolean {
  return contiguous(after) && after.length > before.length && after.slice(0, before.length).join('\n') === before.join('\n');
}

/** The producer alone is destroyed and recreated: it must continue the sequence. Returns the log's length then. */
async function recreateProducer(t: Trial): Promise<number> {
  progress(`${t.id}: trial ${t.trial}: recreating the producer`);
  const before = await logLines(t.stack);
  await stop(t, 'producer');
  t.stack.producer = await t.start.producer();
  await untilLogHas(t.stack, t.setup.producerTruncates ? LINES_PER_PHASE : before.length + LINES_PER_PHASE);
  const after = await logLines(t.stack);
  const continued = continuesLog(before, after);
  t.observed['recreated producer appends after the last line'] = continued ? 'survives' : 'lost';
  t.evidence.push(
    continued
      ? `producer recreated after line ${before.length}: the log continues at ${after[before.length]?.split(' ')[0]}, no gap, nothing rewritten`
      : `producer recreated after line ${before.length}: NOT a continuation — the log now has ${after.length} lines, the first numbered ${after[0]?.split(' ')[0] ?? 'none'}`,
  );
  return after.length;
}

/** What the consumer and the web server saw, against the log itself. */
async function checkReaders(t: Trial, linesAfterProducer: number) {
  const truth = await logLines(t.stack);
  const upTo = Math.min(linesAfterProducer, truth.length);
  const consumerSeen = await consumerUpTo(t.stack.consumer, upTo);
  const servedLines = await served(t.stack.web);
  t.observed['consumer saw every line, in order'] = sameSequence(
    consumerSeen.map((s) => s.line),
    truth,
    upTo,
  )
    ? 'visible'
    : 'absent';
  t.observed['web server served every line, in order'] = sameSequence(servedLines, truth, upTo) ? 'visible' : 'absent';
  t.evidence.push(`the log has lines 1–${truth.length}; the consumer saw ${consumerSeen.length}, the web server served ${servedLines.length}`);
  return consumerSeen;
}

/** All three destroyed and recreated on the same volume: the log must be intact. */
async function recreateAll(t: Trial): Promise<boolean> {
  progress(`${t.id}: trial ${t.trial}: recreating all three`);
  const before = await logLines(t.stack);
  for (const role of ROLES) await stop(t, role);
  t.stack = await startAll(t.start);
  await untilLogHas(t.stack, t.setup.producerTruncates ? 1 : before.length + 1);
  const after = await logLines(t.stack);
  const intact = contiguous(after) && after.slice(0, before.length).join('\n') === before.join('\n');
  t.observed['log intact after recreating all three'] = intact ? 'survives' : 'lost';
  const what = intact ? 'every line is still there, and the new producer continues' : 'the log is NOT intact';
  t.evidence.push(`all three recreated with ${before.length} lines in the log: ${what}`);
  return intact;
}

async function shell(scope: RunScope, image: string, role: string, script: string, volume: string, path: string): Promise<StartedTestContainer> {
  const started = await new HostOnlyContainer(image)
    .withCommand(['sh', '-c', script])
    .withBindMounts([{ source: volume, target: path }])
    .withLabels(scope.labels(role))
    .withWaitStrategy(new ContainerRunning())
    .start();
  scope.trackContainer(started.getId());
  return started;
}

async function nginx(scope: RunScope, image: string, volume: string): Promise<StartedTestContainer> {
  const started = await new HostOnlyContainer(image)
    .withBindMounts([{ source: volume, target: '/usr/share/nginx/html' }])
    .withExposedPorts(80)
    .withLabels(scope.labels('web'))
    .withWaitStrategy(new ContainerRunning())
    .start();
  scope.trackContainer(started.getId());
  return started;
}

/** The log as the producer's volume holds it, read through the producer container. */
async function logLines(stack: Stack): Promise<string[]> {
  const result = await stack.producer.exec(['cat', '/data/messages.log']);
  return result.output.split('\n').filter((line) => line.trim() !== '');
}

/** How long the consumer may trail the producer before what it has is judged. */
const READER_CATCH_UP_MS = 10_000;

async function untilLogHas(stack: Stack, lines: number): Promise<void> {
  const deadline = deadlineIn(PHASE_TIMEOUT_MS);
  while (!deadline.passed()) {
    if ((await logLines(stack)).length >= lines) return;
    await sleep(100);
  }
  throw new StepTimeoutError(`Waiting for ${lines} lines in the shared log`, PHASE_TIMEOUT_MS);
}

/**
 * The consumer's lines once it has printed upTo of them, or what it has when READER_CATCH_UP_MS
 * have passed: it follows the file by polling, so on a loaded machine its last line can trail
 * the producer's. A consumer that does not share the volume never catches up, and is judged on
 * what it has then.
 */
async function consumerUpTo(consumer: StartedTestContainer, upTo: number): Promise<ReturnType<typeof parseConsumer>> {
  const deadline = deadlineIn(READER_CATCH_UP_MS);
  for (;;) {
    const seen = parseConsumer(await readLogs(consumer.getId()));
    if (seen.length >= upTo || deadline.passed()) return seen;
    await sleep(200);
  }
}

async function served(web: StartedTestContainer): Promise<string[]> {
  const url = `http://${web.getHost()}:${await mappedPort(web.getId(), 80)}/messages.log`;
  const answer = await httpRequest(url);
  return answer.status === 200
    ? answer.body
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== '')
    : [];
}

/**
 * Polls the web server every 20 ms until it has served `lines` lines, and measures for each new
 * line how long after its write it was first served. Both times are the kernel's uptime, which
 * the host and its containers share.
 */
async function watchWeb(web: StartedTestContainer, lines: number, fromUptime: number): Promise<number[]> {
  const delays: number[] = [];
  const deadline = deadlineIn(PHASE_TIMEOUT_MS);
  let seen = 0;
  while (seen < lines && !deadline.passed()) {
    const current = await served(web).catch(() => [] as string[]);
    const now = await hostUptime();
    for (const line of current.slice(seen)) {
      const writtenAt = Number(line.split(' ')[1]);
      if (writtenAt >= fromUptime) delays.push(round((now - writtenAt) * 1000));
    }
    seen = Math.max(seen, current.length);
    await sleep(20);
  }
  return delays;
}

function parseConsumer(logs: string): Array<{ seenAt: number; writtenAt: number; line: string }> {
  return logs
    .split('\n')
    .map((raw) => /^seen (\d+(?:\.\d+)?) ((\d+) (\d+(?:\.\d+)?) .*)$/.exec(raw.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ seenAt: Number(m[1]), line: m[2]!, writtenAt: Number(m[4]) }));
}

/** Sequence numbers 1, 2, 3, … with no gap and no duplicate. */
function contiguous(lines: string[]): boolean {
  return lines.every((line, index) => Number(line.split(' ')[0]) === index + 1);
}

/** The observer saw at least the first `upTo` lines of the truth, exactly and in order. */
function sameSequence(seen: string[], truth: string[], upTo: number): boolean {
  if (seen.length < upTo) return false;
  return seen.slice(0, upTo).every((line, index) => line === truth[index]) && contiguous(seen);
}

async function hostUptime(): Promise<number> {
  return Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
}
