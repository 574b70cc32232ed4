// WordPress's probe: the site read as a visitor reads it (HTTP), plus its post rows in the
// database. Seeding installs WordPress over HTTP, publishes posts, uploads a PNG through XML-RPC
// and places a plugin file; the fingerprint is one observation per item of the site.
import type { Fingerprint } from '../../data/fingerprint.ts';
import { HarnessError } from '../../errors.ts';
import { addContent, buildSite, observeSite, SITE_TIMEOUT_MS, type BuiltSite, type SiteObservation } from './content.ts';
import type { Stack } from '../../stack/stack.ts';
import { HARNESS_SITE, siteUrl } from './wordpress-stack.ts';
import { isInstallRedirect, waitForSite } from './site.ts';
import type { SiteProbe, SiteServices } from '../sites.ts';

export class WordPressProbe implements SiteProbe {
  readonly service: string;
  readonly describes = 'three posts, an uploaded PNG and a plugin file, over HTTP and as rows in the database';
  private readonly token: string;
  private readonly trial: number;
  private readonly evidence: string[];
  private readonly say: (step: string) => void;
  private built: BuiltSite | undefined;
  private readonly site: SiteServices;
  private readonly addToInstalledSite: boolean;

  /**
   * token makes the plugin's content unique to the trial; seeding's evidence goes to `evidence`.
   * where.site: the services it runs in (the harness's own stack unless given);
   * where.addToInstalledSite: on a site installed already (by an earlier round of `persist check`),
   * add this trial's content instead of refusing a site that is not new.
   */
  constructor(
    token: string,
    trial: number,
    evidence: string[],
    say: (step: string) => void,
    where: { site?: SiteServices; addToInstalledSite?: boolean } = {},
  ) {
    this.site = where.site ?? HARNESS_SITE;
    this.addToInstalledSite = where.addToInstalledSite === true;
    this.service = this.site.web;
    this.token = token;
    this.trial = trial;
    this.evidence = evidence;
    this.say = say;
  }

  async ready(stack: Stack): Promise<void> {
    await waitForSite(await siteUrl(stack, this.site), SITE_TIMEOUT_MS);
  }

  /** Installs the site and writes this trial's content (on a site installed already, only where allowed). */
  async seed(stack: Stack): Promise<Fingerprint> {
    const url = await siteUrl(stack, this.site);
    const installed = this.addToInstalledSite && !isInstallRedirect(await waitForSite(url, SITE_TIMEOUT_MS));
    this.built = installed
      ? await addContent(stack, url, this.token, this.trial, this.evidence, this.site)
      : await buildSite(stack, url, this.token, this.trial, this.evidence, this.say, this.site);
    return this.built.before.fingerprint;
  }

  /** How the site answered while its content was written. */
  get httpSummary(): string {
    return this.seeded.before.httpSummary;
  }

  /** What the site showed right after seeding, with its permalinks and HTTP summary. */
  get seeded(): BuiltSite {
    if (!this.built) throw new HarnessError('The WordPress probe was read before it was seeded.', 'This is a harness bug; please report it.');
    return this.built;
  }

  async observe(stack: Stack): Promise<SiteObservation> {
    return observeSite(stack, await siteUrl(stack, this.site), this.seeded.content, this.site);
  }

  async fingerprint(stack: Stack): Promise<Fingerprint> {
    return (await this.observe(stack)).fingerprint;
  }

  serverVersion(): Promise<string> {
    return Promise.resolve(this.seeded.serverVersion);
  }
}
