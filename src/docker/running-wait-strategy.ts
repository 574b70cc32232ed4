// testcontainers' start() should return as soon as the container runs: readiness is a phase
// the harness times itself (and the same way for every image), not something to hide in start().
import type { WaitStrategy } from 'testcontainers';

export class ContainerRunning implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  async waitUntilReady(): Promise<void> {
    // start() has already seen the container running and its ports published.
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }
}
