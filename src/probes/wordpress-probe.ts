// WordPress's probe: the site read as a visitor reads it (HTTP), plus its post rows in the
// database. Seeding installs WordPress over HTTP, publishes posts, uploads a PNG through XML-RPC
// and places a plugin file; the fingerprint is one observation per item of the site.
import type { Fingerprint } from '../data/fingerprint.ts';
import { HarnessError } from '../errors.ts';
import { buildSite, observeSite, SITE_TIMEOUT_MS, type BuiltSite, type SiteObservation } from '../targets/wordpress/content.ts';
import type { Stack } from '../stack/stack.ts';
import { siteUrl, WEB } from '../targets/wordpress/stack.ts';
import { waitForSite } from '../targets/wordpress/site.ts';
import type { Probe } from './probe.ts';

export class WordPressProbe implements Probe {
  readonly service = WEB;
  readonly describes = 'three posts, an uploaded PNG and a plugin file, over HTTP and as rows in the database';
  private readonly token: string;
  private readonly trial: number;
  private readonly evidence: string[];
  private readonly say: (step: string) => void;
  private built: BuiltSite | undefined;

  /** token makes the plugin's content unique to the trial; seeding's evidence goes to `evidence`. */
  constructor(token: string, trial: number, evidence: string[], say: (step: string) => void) {
    this.token = token;
    this.trial = trial;
    this.evidence = evidence;
    this.say = say;
  }

  async ready(stack: Stack): Promise<void> {
    await waitForSite(await siteUrl(stack), SITE_TIMEOUT_MS);
  }

  async seed(stack: Stack): Promise<Fingerprint> {
    this.built = await buildSite(stack, await siteUrl(stack), this.token, this.trial, this.evidence, this.say);
    return this.built.before.fingerprint;
  }

  /** What the site showed right after seeding, with its permalinks and HTTP summary. */
  get seeded(): BuiltSite {
    if (!this.built) throw new HarnessError('The WordPress probe was read before it was seeded.', 'This is a harness bug; please report it.');
    return this.built;
  }

  async observe(stack: Stack): Promise<SiteObservation> {
    return observeSite(stack, await siteUrl(stack), this.seeded.content);
  }

  async fingerprint(stack: Stack): Promise<Fingerprint> {
    return (await this.observe(stack)).fingerprint;
  }

  serverVersion(): Promise<string> {
    return Promise.resolve(this.seeded.serverVersion);
  }
}
