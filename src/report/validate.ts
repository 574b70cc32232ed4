// The published JSON Schema of report.json (report.schema.json), enforced: every report the
// harness writes is checked against it, and `persist report` refuses a file that does not match.
import { Ajv } from 'ajv';
import schema from './report.schema.json' with { type: 'json' };
import type { Report } from './model.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat(
  'date-time',
  (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
);
const validate = ajv.compile<Report>(schema);

export const REPORT_SCHEMA = schema;

/** Empty when the value is a valid report; otherwise one line per problem, with its JSON path. */
export function reportProblems(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const where = error.instancePath === '' ? 'the report' : error.instancePath;
    const allowed =
      error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    const extra = error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${where} ${error.message ?? 'is invalid'}${allowed}${extra}`;
  });
}

export function isReport(value: unknown): value is Report {
  return reportProblems(value).length === 0;
}
