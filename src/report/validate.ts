// The report schema, enforced: every report the harness writes is checked against it, and
// `persist report` and `--baseline` refuse a file that does not match. The schema comes from
// schema.ts; reports of versions 2 to 10 are checked against the schema they were written with
// (report.schema.v3.json to .v10.json) and then migrated.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Report } from './model.ts';
import { migrateReport, renumber } from './migrate.ts';
import oldSchema from './report.schema.v3.json' with { type: 'json' };
import version4Schema from './report.schema.v4.json' with { type: 'json' };
import version5Schema from './report.schema.v5.json' with { type: 'json' };
import version6Schema from './report.schema.v6.json' with { type: 'json' };
import version7Schema from './report.schema.v7.json' with { type: 'json' };
import version8Schema from './report.schema.v8.json' with { type: 'json' };
import version9Schema from './report.schema.v9.json' with { type: 'json' };
import version10Schema from './report.schema.v10.json' with { type: 'json' };
import { Report as ReportSchema } from './schema.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat(
  'date-time',
  (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
);
const validateCurrent = ajv.compile<Report>(ReportSchema);
const validateOld: ValidateFunction = ajv.compile(oldSchema);
// Versions whose reports are current ones under another number once validated by their own schema.
const RENUMBERED: Record<number, ValidateFunction> = {
  4: ajv.compile(version4Schema),
  5: ajv.compile(version5Schema),
  6: ajv.compile(version6Schema),
  7: ajv.compile(version7Schema),
  8: ajv.compile(version8Schema),
  9: ajv.compile(version9Schema),
  10: ajv.compile(version10Schema),
};

export const REPORT_SCHEMA = ReportSchema;

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
  return validateCurrent(value) ? [] : describe(validateCurrent.errors);
}

export function isReport(value: unknown): value is Report {
  return reportProblems(value).length === 0;
}

const OLDER_VERSIONS = [2, 3];

/** Any version still read: the report as the current version, or the problems found. */
export function readableReport(value: unknown): { report: Report; problems: [] } | { report: undefined; problems: string[] } {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && OLDER_VERSIONS.includes(version)) {
    if (!validateOld(value)) return { report: undefined, problems: describe(validateOld.errors) };
    return { report: migrateReport(value as Parameters<typeof migrateReport>[0]), problems: [] };
  }
  const validateOlder = typeof version === 'number' ? RENUMBERED[version] : undefined;
  if (validateOlder) {
    if (!validateOlder(value)) return { report: undefined, problems: describe(validateOlder.errors) };
    return { report: renumber(value as Parameters<typeof renumber>[0]), problems: [] };
  }
  const problems = reportProblems(value);
  return problems.length === 0 ? { report: value as Report, problems: [] } : { report: undefined, problems };
}
