// Types of node-check.js, which stays plain JavaScript so that any Node can run it.
export function enginesRange(): string;
export function minimumOf(range: string): string;
export function compareVersions(a: string, b: string): number;
export function nodeVersionProblem(found: string, range: string, executable?: string): string | undefined;
export function exitIfTooOld(): void;
