// The sites by service name (each service whose profile has the site capability), each loaded
// from its folder by convention (site-kit.ts exports `siteKit`), as drivers.ts loads drivers:
// `persist check` writes and reads a user's site through it and names no service. Only the
// check imports this module.
import type { Fingerprint, Wording } from '../data/fingerprint.ts';
import type { Probe } from '../probes/probe.ts';
import type { Stack } from '../stack/stack.ts';
import { type ServiceName, servicesWith } from './registry.ts';

/** A site's two services in a stack, and the login that reads its rows. */
export interface SiteServices {
  web: string;
  database: string;
  /** Reads the site's rows: root in the harness's stack, the site's own user in a user's. */
  login: { user: string; password: string; database: string };
}

/** A probe that adds this round's content to a site its user installed. */
export interface SiteProbe extends Probe {
  /** How the site answered while the content was written, for the evidence (after seed). */
  readonly httpSummary: string;
  /** What the site shows now, and how it answered while it was read. */
  observe(stack: Stack): Promise<{ fingerprint: Fingerprint; httpSummary: string }>;
}

export interface SiteKit {
  /** What a comparison of two observations names, item by item, and how it words a difference. */
  items: readonly string[];
  wording: Wording;
  /** The content, in a sentence ("the WordPress content"). */
  content: string;
  probe(site: SiteServices, round: number): SiteProbe;
}

async function load(name: ServiceName): Promise<[ServiceName, SiteKit]> {
  const module = (await import(`./${name}/site-kit.ts`)) as { siteKit?: SiteKit };
  if (!module.siteKit) throw new Error(`src/services/${name}/site-kit.ts must export the service's site as \`siteKit\`.`);
  return [name, module.siteKit];
}

const SITE_KITS: Partial<Record<ServiceName, SiteKit>> = Object.fromEntries(await Promise.all(servicesWith('site').map(({ service }) => load(service))));

/** The site kit of a service the registry knows, if its image keeps a site. */
export function siteKitOf(name: string | undefined): SiteKit | undefined {
  return name !== undefined && name in SITE_KITS ? SITE_KITS[name as ServiceName] : undefined;
}
