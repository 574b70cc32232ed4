// Writes report.schema.json, the published JSON Schema, from schema.ts: `npm run schema`.
// A test fails when the file in the repository is not what this would write.
import { writeFile } from 'node:fs/promises';
import { Report } from './schema.ts';

export const PUBLISHED_SCHEMA_FILE = new URL('./report.schema.json', import.meta.url);

export function publishedSchemaText(): string {
  return `${JSON.stringify(Report, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  await writeFile(PUBLISHED_SCHEMA_FILE, publishedSchemaText());
  process.stdout.write(`wrote ${PUBLISHED_SCHEMA_FILE.pathname}\n`);
}
