// Writes the published JSON Schemas from their typebox sources: report.schema.json from
// schema.ts and x-persist.schema.json from x-persist-schema.ts (`npm run schema`). The validators
// are compiled from these files; a test fails when a file is not what this would write.
import { writeFile } from 'node:fs/promises';
import { XPersist } from './compose/x-persist-schema.ts';
import { Report } from './report/schema.ts';

export const PUBLISHED_SCHEMA_FILE = new URL('./report/report.schema.json', import.meta.url);
export const X_PERSIST_SCHEMA_FILE = new URL('./compose/x-persist.schema.json', import.meta.url);

export function publishedSchemaText(): string {
  return `${JSON.stringify(Report, null, 2)}\n`;
}

export function xPersistSchemaText(): string {
  return `${JSON.stringify(XPersist, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  for (const [file, text] of [
    [PUBLISHED_SCHEMA_FILE, publishedSchemaText()],
    [X_PERSIST_SCHEMA_FILE, xPersistSchemaText()],
  ] as const) {
    await writeFile(file, text);
    process.stdout.write(`wrote ${file.pathname}\n`);
  }
}
