// The parts of an image reference as a user writes it: its tag, the name a pin is appended to, and its repository.

/** The tag of an image reference, `latest` where none is written (a registry host's port is not a tag). */
export function tagOf(reference: string): string | undefined {
  if (reference.includes('@')) return undefined;
  const last = reference.split('/').pop() ?? reference;
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

/** The reference as written, less its tag: what a pinned tag is appended to. */
export function withoutTag(reference: string): string {
  const at = reference.indexOf('@');
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}

/** The repository of an image reference: no registry host, no `library/`, no tag or digest. */
export function repositoryOf(reference: string): string {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const parts = withoutDigest.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  const last = parts.pop() ?? '';
  return [...parts, last.split(':')[0]].join('/');
}
