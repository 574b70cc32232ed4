// The seed's three containers on one named volume: a producer appending numbered, timestamped
// lines to /data/messages.log, a consumer following it, and nginx serving the same volume.
// Every line must reach the consumer and the web server in order, with no gap and no
// duplicate; a recreated producer must append after the last line; recreating all three must
// leave the log intact. With the consumer on a volume of its own, the check must fail.
import { readFile } from 'node:fs/promises';
import { type StartedTestContainer } from 'testcontainers';
import { LoopbackContainer } from '../docker/loopback-container.ts';
import type { ImageChoice } from '../config.ts';
import { mappedPort, readLogs, removeContainer, stopGracefully } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import { StepTimeoutError } from '../errors.ts';
import { progress } from '../progress.ts';
import type { CellResult, ItemOutcome, Observation } from '../report/model.ts';
import { round } from '../report/stats.ts';
import { ContainerRunning } from '../targets/running-wait-strategy.ts';
import { httpRequest } from '../web/http.ts';
import { assembleResult, runTrials, type TrialRecord } from '../matrix/assemble.ts';
import { deadlineIn, sleep, stopwatch } from '../timing/clock.ts';

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

export interface SharedContext {
  scope: RunScope;
  trials: number;
  images: { toolbox: ImageChoice; nginx: ImageChoice };
}

interface Stack {
  producer: StartedTestContainer;
  consumer: StartedTestContainer;
  web: StartedTestContainer;
}

export async function runSharedVolumeChecks(scenario: string, setup: SharedSetup, context: SharedContext): Promise<CellResult> {
  const id = `toolbox/named-volume/recreate/${setup.name}`;
  const { records, error } = await runTrials(id, context.trials, context.scope, (trial, scope) => runTrial(id, setup, context, trial, scope));
  const identity = {
    id,
    scenario,
    title: `Shared volume: ${setup.title}`,
    target: 'toolbox',
    storage: 'named-volume' as const,
    disruption: 'recreate' as const,
    variant: setup.name,
    expected: 'survives' as const,
  };
  return assembleResult(identity, context.images.toolbox.reference, records, error);
}

async function runTrial(id: string, setup: SharedSetup, context: SharedContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const evidence: string[] = [];
  const observed: Partial<Record<SharedItem, Observation>> = {};
  const stopMs: number[] = [];
  const exits: string[] = [];
  const shared = await scope.createVolume('shared-data');
  const consumerVolume = setup.consumerShares ? shared : await scope.createVolume('consumer-own-data');
  evidence.push(
    `volume ${shared} shared by producer (/data), web (/usr/share/nginx/html) and ${setup.consumerShares ? 'consumer (/data)' : `NOT the consumer (it has ${consumerVolume})`}`,
  );

  const start = {
    producer: () => shell(scope, context.images.toolbox.reference, 'producer', setup.producerTruncates ? TRUNCATING_PRODUCER : PRODUCER, shared, '/data'),
    consumer: () => shell(scope, context.images.toolbox.reference, 'consumer', CONSUMER, consumerVolume, '/data'),
    web: () => nginx(scope, context.images.nginx.reference, shared),
  };
  const stop = async (role: keyof Stack, container: StartedTestContainer) => {
    const clock = stopwatch();
    const state = await stopGracefully(container.getId());
    stopMs.push(clock.ms());
    exits.push(`${role} ${state.exitCode}`);
    await removeContainer(container.getId());
  };

  let stack: Stack = { producer: await start.producer(), consumer: await start.consumer(), web: await start.web() };
  // Delays count only lines written once all three run: earlier ones waited for a reader.
  const measuringFrom = await hostUptime();
  const [webDelays] = await Promise.all([watchWeb(stack.web, LINES_PER_PHASE, measuringFrom), untilLogHas(stack, LINES_PER_PHASE)]);

  // The producer alone is destroyed and recreated: it must continue the sequence.
  progress(`${id}: trial ${trial}: recreating the producer`);
  const beforeProducer = await logLines(stack);
  await stop('producer', stack.producer);
  stack.producer = await start.producer();
  await untilLogHas(stack, setup.producerTruncates ? LINES_PER_PHASE : beforeProducer.length + LINES_PER_PHASE);
  const afterProducer = await logLines(stack);
  const continued =
    contiguous(afterProducer) &&
    afterProducer.length > beforeProducer.length &&
    afterProducer.slice(0, beforeProducer.length).join('\n') === beforeProducer.join('\n');
  observed['recreated producer appends after the last line'] = continued ? 'survives' : 'lost';
  evidence.push(
    continued
      ? `producer recreated after line ${beforeProducer.length}: the log continues at ${afterProducer[beforeProducer.length]?.split(' ')[0]}, no gap, nothing rewritten`
      : `producer recreated after line ${beforeProducer.length}: NOT a continuation — the log now has ${afterProducer.length} lines, the first numbered ${afterProducer[0]?.split(' ')[0] ?? 'none'}`,
  );

  // What the consumer and the web server saw, against the log itself.
  const consumerSeen = parseConsumer(await readLogs(stack.consumer.getId()));
  const servedLines = await served(stack.web);
  const truth = await logLines(stack);
  observed['consumer saw every line, in order'] = sameSequence(
    consumerSeen.map((s) => s.line),
    truth,
    Math.min(afterProducer.length, truth.length),
  )
    ? 'visible'
    : 'absent';
  observed['web server served every line, in order'] = sameSequence(servedLines, truth, Math.min(afterProducer.length, truth.length)) ? 'visible' : 'absent';
  evidence.push(`the log has lines 1–${truth.length}; the consumer saw ${consumerSeen.length}, the web server served ${servedLines.length}`);

  // All three destroyed and recreated on the same volume.
  progress(`${id}: trial ${trial}: recreating all three`);
  const beforeAll = await logLines(stack);
  for (const role of ['producer', 'consumer', 'web'] as const) await stop(role, stack[role]);
  stack = { producer: await start.producer(), consumer: await start.consumer(), web: await start.web() };
  await untilLogHas(stack, setup.producerTruncates ? 1 : beforeAll.length + 1);
  const afterAll = await logLines(stack);
  const intact = contiguous(afterAll) && afterAll.slice(0, beforeAll.length).join('\n') === beforeAll.join('\n');
  observed['log intact after recreating all three'] = intact ? 'survives' : 'lost';
  evidence.push(
    `all three recreated with ${beforeAll.length} lines in the log: ${intact ? 'every line is still there, and the new producer continues' : 'the log is NOT intact'}`,
  );

  for (const role of ['producer', 'consumer', 'web'] as const) await stop(role, stack[role]);
  // A clean exit is 0; 137 would be Docker's kill after the timeout, anything else a crash.
  const unclean = exits.filter((exit) => !exit.endsWith(' 0'));
  observed['shell loops stop on TERM, not killed'] = unclean.length === 0 ? 'visible' : 'absent';
  evidence.push(
    `stops: ${exits.map((exit, i) => `${exit} in ${stopMs[i]} ms`).join(', ')}${unclean.length > 0 ? ` — NOT clean: ${unclean.join(', ')}` : ' (exit code: all 0)'}`,
  );

  const delays = consumerSeen.filter((s) => s.writtenAt >= measuringFrom).map((s) => round((s.seenAt - s.writtenAt) * 1000));
  const items: ItemOutcome[] = SHARED_ITEMS.map((item) => ({ item, expected: setup.expected[item], observed: observed[item] ?? 'absent' }));
  return {
    outcome: { trial, observed: intact ? 'survives' : 'lost', reinitialised: false, cleanShutdown: unclean.length === 0, differences: [] },
    matches: items.every((i) => i.observed === i.expected),
    items,
    timing: { trial, phasesMs: {}, recoveryMs: null },
    measurementsMs: { 'producer write → consumer sees it': delays, 'producer write → web serves it': webDelays, 'graceful stop of a container': stopMs },
    before: {},
    after: {},
    rowsLost: 0,
    rowsUnexpected: 0,
    imageId: (await docker().getImage(context.images.toolbox.reference).inspect()).Id,
    serverVersion: 'shell loops in the toolbox image; nginx',
    evidence,
  };
}

async function shell(scope: RunScope, image: string, role: string, script: string, volume: string, path: string): Promise<StartedTestContainer> {
  const started = await new LoopbackContainer(image)
    .withCommand(['sh', '-c', script])
    .withBindMounts([{ source: volume, target: path }])
    .withLabels(scope.labels(role))
    .withWaitStrategy(new ContainerRunning())
    .start();
  scope.trackContainer(started.getId());
  return started;
}

async function nginx(scope: RunScope, image: string, volume: string): Promise<StartedTestContainer> {
  const started = await new LoopbackContainer(image)
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

async function untilLogHas(stack: Stack, lines: number): Promise<void> {
  const deadline = deadlineIn(PHASE_TIMEOUT_MS);
  while (!deadline.passed()) {
    if ((await logLines(stack)).length >= lines) return;
    await sleep(100);
  }
  throw new StepTimeoutError(`Waiting for ${lines} lines in the shared log`, PHASE_TIMEOUT_MS);
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
