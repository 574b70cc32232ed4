// On a terminal, `persist run` shows the tests done out of all, one line each as they finish,
// with the time elapsed; the workers' current step is the live line below them.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { stopwatch } from '../timing/clock.ts';

export function doneLine(done: number, total: number, state: 'passed' | 'failed' | 'skipped' | 'pending', name: string, elapsedMs: number): string {
  const mark = state === 'passed' ? '✓' : state === 'failed' ? '✗' : '·';
  return `[persist] ${String(done).padStart(String(total).length)}/${total} ${mark} ${name} (${formatElapsed(elapsedMs)} elapsed)`;
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class LiveProgressReporter implements Reporter {
  private total = 0;
  private done = 0;
  private readonly started = stopwatch();
  private readonly write: (text: string) => void;

  constructor(write: (text: string) => void = (text) => process.stderr.write(text)) {
    this.write = write;
  }

  onTestModuleCollected(module: TestModule): void {
    this.total += [...module.children.allTests()].length;
  }

  onTestCaseResult(test: TestCase): void {
    this.done += 1;
    const state = test.result().state;
    this.write(`\r\x1b[K${doneLine(this.done, this.total, state, test.fullName, this.started.ms())}\n`);
  }

  onTestRunEnd(): void {
    this.write(`\r\x1b[K[persist] ${this.done}/${this.total} done in ${formatElapsed(this.started.ms())}\n`);
  }
}
