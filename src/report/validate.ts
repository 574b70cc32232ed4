// The report schema, enforced: every report the harness writes is checked against it, and
// `persist report` and `--baseline` refuse a file that does not match. The schema comes from
// schema.ts; reports of older versions are checked against the schema they were written with
// (report.schema.vN.json) and then migrated (migrate.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Report } from './model.ts';
import { READ_VERSIONS } from './migrate.ts';
import { cachedValidator, DATE_TIME } from '../validator-cache.ts';

const require = createRequire(import.meta.url);
let ajv: Ajv | undefined;

/** An older version's schema, compiled from its published file (read only when such a report is read). */
function compileOlder(version: number): ValidateFunction {
  if (!ajv) {
    const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
    ajv = new AjvClass({ allErrors: true, strict: true, discriminator: true });
    ajv.addFormat('date-time', DATE_TIME);
  }
  return ajv.compile(JSON.parse(readFileSync(new URL(`./report.schema.v${version}.json`, import.meta.url), 'utf8')));
}
/** A validator compiled the first time it is needed: compiling every schema at start-up cost seconds for commands that never read an old report. */
function lazily<T>(compile: () => ValidateFunction<T>): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => {
    compiled ??= compile();
    return compiled;
  };
}

const validateCurrent = lazily(() =>
  cachedValidator<Report>(new URL('./report.schema.json', import.meta.url), { allErrors: true, strict: true, discriminator: true }),
);
const olderValidators = new Map<number, () => ValidateFunction>();
function validatorOf(schema: number): ValidateFunction {
  if (!olderValidators.has(schema))
    olderValidators.set(
      schema,
      lazily(() => compileOlder(schema)),
    );
  return olderValidators.get(schema)!();
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? 'the report' : error.instancePath;
    const allowed =
      error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    const constant = error.keyword === 'const' ? ` (${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)})` : '';
    const extra = error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${where} ${error.message ?? 'is invalid'}${allowed}${constant}${extra}`;
  });
}

/** Empty when the value is a valid report of the current version; otherwise one line per problem, with its JSON path. */
export function reportProblems(value: unknown): string[] {
  const validate = validateCurrent();
  return validate(value) ? [] : describe(validate.errors);
}

export function isReport(value: unknown): value is Report {
  return reportProblems(value).length === 0;
}

/** Any version still read: the report as the current version, or the problems found. */
export function readableReport(value: unknown): { report: Report; problems: [] } | { report: undefined; problems: string[] } {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  const older = typeof version === 'number' ? READ_VERSIONS[version] : undefined;
  if (older) {
    const validate = validatorOf(older.schema);
    if (!validate(value)) return { report: undefined, problems: describe(validate.errors) };
    return { report: older.migrate(value), problems: [] };
  }
  const problems = reportProblems(value);
  return problems.length === 0 ? { report: value as Report, problems: [] } : { report: undefined, problems };
}
