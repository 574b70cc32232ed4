// The user's own probe: a command that writes known data, and one whose output says what is there.
// Equal output before and after means the data survived; the output's size and sha256 are the
// observation, so a report never prints what the command printed.
import { createHash } from 'node:crypto';
import type { Fingerprint } from '../data/fingerprint.ts';
import { execIn } from '../docker/exec.ts';
import { HarnessError } from '../errors.ts';
import type { Stack } from '../stack/stack.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';
import { ABSENT, type Probe, untilRunning } from './probe.ts';

export interface Commands {
  seed: string;
  fingerprint: string;
  /** Exits 0 once the service is ready; without it, a running container is ready. */
  ready?: string;
}

const READY_TIMEOUT_MS = 120_000;

export class CommandProbe implements Probe {
  readonly service: string;
  readonly describes: string;
  private readonly commands: Commands;

  constructor(service: string, commands: Commands) {
    this.service = service;
    this.commands = commands;
    this.describes = `the output of \`${commands.fingerprint}\``;
  }

  /** The container runs and, where a ready command is given, it succeeds. */
  async ready(stack: Stack): Promise<void> {
    const deadline = deadlineIn(READY_TIMEOUT_MS);
    const check = this.commands.ready;
    for (;;) {
      await untilRunning(stack, this.service, READY_TIMEOUT_MS);
      if (check === undefined || (await this.run(stack, check)).exitCode === 0) return;
      if (deadline.passed())
        throw new HarnessError(`\`${check}\` did not succeed in ${this.service} within ${READY_TIMEOUT_MS / 1000} s.`, 'Check the ready command.');
      await sleep(100);
    }
  }

  async seed(stack: Stack): Promise<Fingerprint> {
    const seeded = await this.run(stack, this.commands.seed);
    if (seeded.exitCode !== 0) {
      throw new HarnessError(
        `The seed command exited with ${seeded.exitCode} in ${this.service}: ${seeded.stderr.trim().split('\n').pop() ?? ''}.`,
        'Fix the seed command.',
      );
    }
    const before = await this.fingerprint(stack);
    if (Object.values(before).some((observed) => !observed.present)) {
      throw new HarnessError(
        `The fingerprint command \`${this.commands.fingerprint}\` fails in ${this.service} right after seeding.`,
        'Fix the seed or fingerprint command.',
      );
    }
    return before;
  }

  async fingerprint(stack: Stack): Promise<Fingerprint> {
    const read = await this.run(stack, this.commands.fingerprint);
    const name = `output of ${this.service}'s fingerprint command`;
    const hash = createHash('sha256').update(read.stdout).digest('hex');
    return { [name]: read.exitCode === 0 ? { present: true, rows: read.stdout.length, contentHash: hash } : ABSENT };
  }

  private run(stack: Stack, command: string) {
    return execIn(stack.containerId(this.service), ['sh', '-c', command]);
  }
}
