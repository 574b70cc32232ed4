// The tool's own name and version, from package.json: light enough for the CLI to load at once.
import { readFileSync } from 'node:fs';

export function toolVersion(): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: manifest.name, version: manifest.version };
}
