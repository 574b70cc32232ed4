// An instant in the form a tool takes it, where that is not RFC 3339.

/**
 * `2026-12-08T00:46:18.500Z` as PostgreSQL's recovery settings take it (`2026-12-08 00:46:18.500+00`):
 * recovery_target_time refuses RFC 3339's T and Z, and pgBackRest's --target passes it on as is.
 */
export const postgresTime = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '+00');
