// A WordPress site driven over HTTP only, as a user would: install, publish posts, upload media
// (XML-RPC with a user name and password), then read it all back as a visitor would.
import { sha256 } from '../../data/hash.ts';
import { httpRequest, pollUntil, type HttpAnswer } from '../../web/http.ts';
import { methodCall, parseResponse, type XmlRpcValue } from './xmlrpc.ts';

const POLL_INTERVAL_MS = 100;

export const ADMIN = { user: 'harness-admin', password: 'Harness-pw-1' };

/** Polls / until the site answers other than 5xx: 200 when installed, 302 to the installer when not. */
export function waitForSite(baseUrl: string, timeoutMs: number): Promise<HttpAnswer> {
  return pollUntil(`${baseUrl}/`, (answer) => answer.status < 500, 'Waiting for WordPress to answer', timeoutMs, POLL_INTERVAL_MS);
}

/**
 * PHP's opcache checks a script's timestamp at most every opcache.revalidate_freq seconds (2 in
 * PHP's defaults and in the official image's opcache-recommended.ini), so a PHP file rewritten
 * soon after it was last served is served from the old compiled copy for up to that long.
 * Several revalidation periods, so a loaded machine still sees the new file.
 */
export const PHP_REVALIDATE_WAIT_MS = 15_000;

/** Polls a PHP file until what it serves contains `text`: once PHP has seen the file as it is now. */
export function waitForServedText(url: string, text: string, timeoutMs = PHP_REVALIDATE_WAIT_MS): Promise<HttpAnswer> {
  return pollUntil(
    url,
    (answer) => answer.status === 200 && answer.body.toString('utf8').includes(text),
    `Waiting for ${new URL(url).pathname} to serve the new file`,
    timeoutMs,
    POLL_INTERVAL_MS,
  );
}

export function isInstallRedirect(answer: HttpAnswer): boolean {
  return answer.status >= 300 && answer.status < 400 && (answer.location ?? '').includes('/wp-admin/install.php');
}

export async function install(baseUrl: string): Promise<void> {
  const form = new URLSearchParams({
    weblog_title: 'Persistence harness',
    user_name: ADMIN.user,
    admin_password: ADMIN.password,
    admin_password2: ADMIN.password,
    pw_weak: '1',
    admin_email: 'harness@example.invalid',
    blog_public: '0',
  });
  const answer = await httpRequest(`${baseUrl}/wp-admin/install.php?step=2`, { method: 'POST', body: form });
  if (answer.status !== 200 || !answer.body.toString('utf8').includes('Success!')) {
    throw new Error(`the WordPress install did not succeed (HTTP ${answer.status})`);
  }
}

async function xmlRpc(baseUrl: string, method: string, params: XmlRpcValue[]) {
  const answer = await httpRequest(`${baseUrl}/xmlrpc.php`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: methodCall(method, params),
  });
  if (answer.status !== 200) throw new Error(`${method}: HTTP ${answer.status}`);
  return parseResponse(answer.body.toString('utf8'));
}

export interface PublishedPost {
  id: number;
  title: string;
  body: string;
}

export async function publishPost(baseUrl: string, title: string, body: string): Promise<PublishedPost> {
  const { value } = await xmlRpc(baseUrl, 'wp.newPost', [1, ADMIN.user, ADMIN.password, { post_title: title, post_content: body, post_status: 'publish' }]);
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`wp.newPost returned ${value}`);
  return { id, title, body };
}

export interface UploadedMedia {
  id: number;
  /** Path on the site, without host and port: those change when the container is recreated. */
  path: string;
  sha256: string;
  bytes: number;
}

export async function uploadMedia(baseUrl: string, name: string, type: string, bits: Buffer): Promise<UploadedMedia> {
  const { members } = await xmlRpc(baseUrl, 'wp.uploadFile', [1, ADMIN.user, ADMIN.password, { name, type, bits, overwrite: false }]);
  if (!members.url || !members.id) throw new Error(`wp.uploadFile returned no url or id`);
  return { id: Number(members.id), path: new URL(members.url).pathname, sha256: sha256(bits), bytes: bits.length };
}

/** The version WordPress announces in its generator meta tag. */
export function generatorVersion(homePage: Buffer): string | null {
  return /<meta name="generator" content="(WordPress [^"]+)"/.exec(homePage.toString('utf8'))?.[1] ?? null;
}
