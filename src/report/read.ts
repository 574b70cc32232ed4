// Reading a stored report.json: one sentence for a file that is missing, not JSON, or not a
// report this version understands.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import type { Report, RunReport } from './model.ts';
import { readableReport } from './validate.ts';

/** A report.json from any run, checked against the schema of its version before it is used (and migrated when older). */
export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`The report ${file} cannot be read.`, 'Give the path of a report.json, e.g. reports/latest/report.json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`The report ${file} is not JSON.`, 'Give the path of a report.json written by `persist run`.');
  }
  const { report, problems } = readableReport(parsed);
  if (report === undefined) {
    throw new UsageError(
      `The report ${file} does not match the report schema (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}).`,
      'Give a report.json written by this version of persist.',
    );
  }
  return report;
}

/** A run's report (a baseline, a shard to merge): an audit's or a check's is refused in one sentence. */
export async function readRunReportFile(file: string): Promise<RunReport> {
  const report = await readReportFile(file);
  if (report.kind !== 'run') {
    throw new UsageError(`The report ${file} is the report of a \`persist ${report.kind}\`, not of a run.`, 'Give the report.json of a `persist run`.');
  }
  return report;
}
