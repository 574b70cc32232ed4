// Validators compiled once per schema and kept as code: compiling the report schema with ajv took
// 0.4 s of every command's start. A published schema file (which a test holds equal to its typebox
// source) is compiled to a standalone module named by a hash of the file and the options, in
// node_modules/.cache where the ajv runtime it requires resolves; later starts load that. A cache
// that cannot be written or read only costs the compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, Options, ValidateFunction } from 'ajv';

/** RFC 3339 date-time, as a pattern (a pattern compiles into standalone code; a function would not). */
export const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/persistence-harness/', import.meta.url));
const require = createRequire(import.meta.url);

/** The validator of the schema in `schemaFile`, from the cache when this schema and these options were compiled before. */
export function cachedValidator<T>(schemaFile: URL, options: Pick<Options, 'allErrors' | 'strict' | 'verbose' | 'discriminator'>): ValidateFunction<T> {
  const text = readFileSync(schemaFile, 'utf8');
  const key = createHash('sha256').update(JSON.stringify(options)).update(text).digest('hex').slice(0, 16);
  const name =
    fileURLToPath(schemaFile)
      .split('/')
      .pop()
      ?.replace(/\.json$/, '') ?? 'schema';
  const file = `${CACHE_DIR}${name}-${key}.cjs`;
  try {
    return require(file) as ValidateFunction<T>;
  } catch {
    // Not compiled yet for this schema.
  }
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ ...options, code: { source: true } });
  ajv.addFormat('date-time', DATE_TIME);
  const validate = ajv.compile<T>(JSON.parse(text));
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const standaloneCode = require('ajv/dist/standalone') as (ajv: Ajv, validate: ValidateFunction) => string;
    writeFileSync(`${file}.${process.pid}.partial`, standaloneCode(ajv, validate));
    renameSync(`${file}.${process.pid}.partial`, file);
  } catch {
    // A read-only install: compiled again next time.
  }
  return validate;
}
