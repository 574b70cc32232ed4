// Plain HTTP for checks that read what a web server serves: one request, its status, where it
// redirected to, and the body as bytes.
import { StepTimeoutError } from '../errors.ts';
import { deadlineIn, sleep } from '../timing/clock.ts';
const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpAnswer {
  status: number;
  location: string | null;
  /** Where the answer came from, after any redirects that were followed. */
  finalUrl: string;
  body: Buffer;
}

/** Redirects are not followed unless asked: a redirect to the installer is itself an answer. */
export async function httpRequest(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
  return {
    status: response.status,
    location: response.headers.get('location'),
    finalUrl: response.url || url,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/**
 * Polls a URL until an answer is accepted; a timeout names the last answer or error seen.
 * Server readiness and "is the edit served yet" are the same loop with different acceptance.
 */
export async function pollUntil(
  url: string,
  accept: (answer: HttpAnswer) => boolean,
  what: string,
  timeoutMs: number,
  intervalMs: number,
): Promise<HttpAnswer> {
  const deadline = deadlineIn(timeoutMs);
  let last = '';
  while (!deadline.passed()) {
    try {
      const answer = await httpRequest(url);
      if (accept(answer)) return answer;
      last = `HTTP ${answer.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(intervalMs);
  }
  throw new StepTimeoutError(what, timeoutMs, last);
}
