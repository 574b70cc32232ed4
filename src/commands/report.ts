// `persist report FILE`: renders a stored report.json again, in any format, so a past run can
// be read, or handed to CI, without running anything.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Report } from '../report/model.ts';
import { FORMATS, type Format } from '../report/render/formats.ts';
import { reportProblems } from '../report/validate.ts';

export interface ReportOptions {
  format: string;
  out?: string;
}

export async function reportCommand(file: string, options: ReportOptions, print: (text: string) => void): Promise<number> {
  const format = parseFormat(options.format);
  const report = await readReportFile(file);
  const rendered = FORMATS[format].render(report);
  if (options.out === undefined) {
    print(rendered.replace(/\n$/, ''));
    return 0;
  }
  const target = resolve(options.out);
  await writeFile(`${target}.partial`, rendered);
  await rename(`${target}.partial`, target);
  return 0;
}

function parseFormat(value: string): Format {
  if (Object.hasOwn(FORMATS, value)) return value as Format;
  throw new UsageError(`Unknown report format "${value}".`, `Use one of: ${Object.keys(FORMATS).join(', ')}.`);
}

/** A report.json from any run, checked against the published schema before it is used. */
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
  const problems = reportProblems(parsed);
  if (problems.length > 0) {
    throw new UsageError(`The report ${file} does not match the report schema (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}).`, 'Give a report.json written by this version of persist.');
  }
  return parsed as Report;
}
