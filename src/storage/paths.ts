// Container paths compared as paths, not strings: /var/lib/mysql is not inside /var/lib/my.

/** True when `path` is `folder` itself or lies below it. */
export function isWithin(path: string, folder: string): boolean {
  const strip = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const [inner, outer] = [strip(path), strip(folder)];
  return inner === outer || outer === '/' || inner.startsWith(`${outer}/`);
}
