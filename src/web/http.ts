// Plain HTTP for checks that read what a web server serves: one request, its status, where it
// redirected to, and the body as bytes.
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
