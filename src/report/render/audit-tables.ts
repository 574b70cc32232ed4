// An audit as tables, shared by the terminal, Markdown and HTML: per service, each data path with
// the storage it lands on and what each lifecycle command does to it, then its findings.
import type { Audit, AuditFinding } from '../model.ts';

type AuditService = Audit['services'][number];
type AuditStorage = AuditService['dataPaths'][number]['storage'];

export interface AuditTable {
  service: string;
  /** The image, what the harness knows it as, and the upgrade x-persist names. */
  image: string;
  /** What was read of the image: its version and ID, or that it was not read. */
  read: string;
  header: string[];
  rows: string[][];
  /** Said instead of the table when the service has no data path. */
  noDataPaths: string;
  /** The mounts no data path uses, listed so the reader sees everything that is mounted. */
  otherMounts: string[];
  findings: AuditFinding[];
}

const STORAGE_NAMES: Record<AuditStorage['kind'], string> = {
  'named-volume': 'named volume',
  'external-volume': 'external volume',
  'bind-mount': 'bind mount',
  tmpfs: 'tmpfs',
  'anonymous-volume': 'anonymous volume',
  'image-volume': "anonymous volume (image's VOLUME)",
  'writable-layer': "container's writable layer",
};

export function describeAuditStorage(storage: AuditStorage): string {
  const name = STORAGE_NAMES[storage.kind];
  const source = storage.source ? ` ${storage.source}` : '';
  return storage.target ? `${name}${source} at ${storage.target}` : name;
}

export const SEVERITY_WORDS: Record<AuditFinding['severity'], string> = { error: 'error', warning: 'warning', info: 'note' };

export function auditCounts(audit: Audit): { errors: number; warnings: number; notes: number } {
  const count = (severity: AuditFinding['severity']) => audit.findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), notes: count('info') };
}

/** "2 errors, 1 warning, 3 notes" (only what there is; "no findings" otherwise). */
export function describeCounts(audit: Audit): string {
  const { errors, warnings, notes } = auditCounts(audit);
  const parts = [
    [errors, 'error'],
    [warnings, 'warning'],
    [notes, 'note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

const SOURCE_WORDS = {
  'local-image': 'on this machine',
  registry: 'from its registry',
  dockerfile: 'from its Dockerfile',
  catalogue: 'from the catalogue',
} as const;

/**
 * "version 17, image 9d3cc16f10be, on this machine", "from its Dockerfile: app/Dockerfile, on
 * node:22 (local-image)" or "unread: not on this machine; …": a verdict says what it rests on.
 */
export function describeRead(service: AuditService): string {
  const { source, from, version } = service.facts;
  if (source === 'unread') return `unread: ${from ?? 'not on this machine'}`;
  const id = service.imageId.replace(/^sha256:/, '').slice(0, 12);
  const parts = [version ? `version ${version}` : undefined, id ? `image ${id}` : undefined].filter(Boolean);
  const where = source === 'local-image' || !from ? SOURCE_WORDS[source] : `${SOURCE_WORDS[source]}: ${from}`;
  return [...parts, where].join(', ');
}

function noDataPaths(service: AuditService): string {
  if (service.facts.source === 'unread') return 'no data path known: its image was not read (name them in x-persist)';
  return service.recognisedAs
    ? `no data paths: ${service.recognisedAs} keeps no data of its own (name any in x-persist)`
    : 'no data paths: an image the harness does not know, with no VOLUME (name them in x-persist)';
}

/** "5 service(s)", or "5 service(s), 3 of them unread": a verdict that rests on few read images says so. */
export function describeServices(audit: Audit): string {
  const unread = audit.services.filter((service) => service.facts.source === 'unread').length;
  return `${audit.services.length} service(s)${unread > 0 ? `, ${unread === audit.services.length ? 'every one' : `${unread} of them`} unread` : ''}`;
}

export function auditTables(audit: Audit): AuditTable[] {
  return audit.services.map((service) => {
    const used = new Set(service.dataPaths.map((path) => path.storage.target));
    return {
      service: service.service,
      image: `${service.image}${service.recognisedAs ? ` (known as ${service.recognisedAs})` : ''}${service.upgrade ? `, upgrading to ${service.upgrade.image}` : ''}`,
      read: describeRead(service),
      header: ['data path', 'why', 'lands on', ...audit.lifecycle],
      noDataPaths: noDataPaths(service),
      rows: service.dataPaths.map((path) => [
        path.path,
        path.why,
        describeAuditStorage(path.storage),
        ...audit.lifecycle.map((command) => path.fates[command] ?? '—'),
      ]),
      otherMounts: service.mounts
        .filter((mount) => !used.has(mount.target))
        .map(
          (mount) =>
            `${mount.target}: ${describeAuditStorage({ kind: mount.kind, target: mount.target, ...(mount.source ? { source: mount.source } : {}) }).replace(/ at .*$/, '')}`,
        ),
      findings: audit.findings.filter((finding) => finding.service === service.service),
    };
  });
}

/**
 * What the two prune columns mean on the engine the audit talked to: Docker decides by the API
 * version of the request whether a plain `docker volume prune` spares named volumes.
 */
export function pruneNote(audit: Audit): string | undefined {
  if (!audit.lifecycle.includes('down + volume prune')) return undefined;
  const after = 'After `docker compose down` every volume of the project is unused.';
  const api = audit.prune?.apiVersion;
  if (!api)
    return `\`down + volume prune\` is judged as engines from API 1.42 (Engine 23) run it: only anonymous volumes. Below API 1.42 a plain prune removes every unused volume, named ones included, as \`--all\` does; \`docker system prune --volumes\` prunes as the plain one. ${after}`;
  if (audit.prune?.plainRemovesNamed)
    return `This engine speaks API ${api}: a plain \`docker volume prune\` (and \`docker system prune --volumes\`) removes every unused volume, named ones included, as \`--all\` does on newer engines (the client refuses \`--all\` against this one). ${after}`;
  return `This engine speaks API ${api}: a plain \`docker volume prune\` (and \`docker system prune --volumes\`) removes only anonymous volumes; \`--all\` removes the named ones too. ${after}`;
}
