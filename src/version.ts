// The tool's own folder, name and version, from package.json: light enough for the CLI to load at once.
import { readFileSync } from 'node:fs';

/** The package's folder: scenario files and vitest's config are found, and test files named, relative to it. */
export const PACKAGE_ROOT = new URL('../', import.meta.url).pathname;

export function toolVersion(): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: manifest.name, version: manifest.version };
}
