// A HarnessError means the harness could not do its job (exit 2). Data that did not survive
// is never an error: it is a finding, carried in a result with status "failed".
export class HarnessError extends Error {
  /** What the user should do about it, in one sentence. */
  readonly fix: string;

  constructor(message: string, fix: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.fix = fix;
  }

  /** The single line the CLI prints. */
  oneLine(): string {
    return `${this.message} ${this.fix}`.trim();
  }
}

export class EngineUnreachableError extends HarnessError {
  constructor(detail: string, options?: ErrorOptions) {
    super(
      `The Docker engine does not answer (${detail}).`,
      'Start it (for example `dockerd &` as root, or `systemctl start docker`) or point DOCKER_HOST at a running engine, then run `persist doctor`.',
      options,
    );
  }
}

export class ImageUnavailableError extends HarnessError {
  readonly image: string;
  constructor(image: string, local: boolean, options?: ErrorOptions) {
    super(
      `Image ${image} is not on this machine and could not be pulled.`,
      local ? 'Build the stand-ins with `persist images build`.' : 'Pull it, or use the stand-in images with `--images local` after `persist images build`.',
      options,
    );
    this.image = image;
  }
}

export class UsageError extends HarnessError {
  constructor(message: string, fix: string) {
    super(message, fix);
  }
}

/** Thrown when a step does not finish in time: a harness problem, not a data finding. */
export class StepTimeoutError extends HarnessError {
  constructor(step: string, timeoutMs: number, lastProblem?: string) {
    super(
      `${step} did not finish within ${timeoutMs} ms${lastProblem ? ` (last problem: ${lastProblem})` : ''}.`,
      'Check the container logs in the report evidence and whether the engine is overloaded.',
    );
  }
}

export function describeError(error: unknown): string {
  if (error instanceof HarnessError) return error.oneLine();
  if (error instanceof Error) return error.message;
  return String(error);
}
