// The parts of an image reference as a user writes it: its tag, and the name a pin is appended to.

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
