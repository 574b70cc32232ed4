// `persist report FILE`: renders a stored report.json again, in any format, so a past run can
// be read, or handed to CI, without running anything. `persist report --compare A B` renders
// B compared with A: changed verdicts and recovery time regressions.
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_REGRESSION, parseThreshold } from '../config.ts';
import { UsageError } from '../errors.ts';
import { compareReports } from '../report/compare.ts';
import { readReportFile } from '../report/read.ts';
import { FORMATS, type Format } from '../report/render/formats.ts';

export interface ReportOptions {
  format: string;
  out?: string;
  compare?: boolean;
  regressionPercent?: string;
  regressionMs?: string;
  failOnRegression?: boolean;
}

export async function reportCommand(files: string[], options: ReportOptions, print: (text: string) => void): Promise<number> {
  const format = parseFormat(options.format);
  if (options.compare ? files.length !== 2 : files.length !== 1) {
    throw new UsageError(
      options.compare
        ? `--compare needs two reports, the baseline and the run to compare; ${files.length} given.`
        : `persist report renders one report; ${files.length} given.`,
      options.compare
        ? 'Use `persist report --compare BASELINE.json CURRENT.json`.'
        : 'Use `persist report reports/latest/report.json`, or --compare with two.',
    );
  }
  let report = await readReportFile(files.at(-1)!);
  if (options.compare) {
    const thresholds = {
      percent: parseThreshold(options.regressionPercent, DEFAULT_REGRESSION.percent, '--regression-percent'),
      ms: parseThreshold(options.regressionMs, DEFAULT_REGRESSION.ms, '--regression-ms'),
    };
    report = { ...report, comparison: compareReports(await readReportFile(files[0]!), report, thresholds, options.failOnRegression ?? false) };
  }
  const rendered = FORMATS[format].render(report);
  if (options.out === undefined) {
    print(rendered.replace(/\n$/, ''));
  } else {
    const target = resolve(options.out);
    await writeFile(`${target}.partial`, rendered);
    await rename(`${target}.partial`, target);
  }
  // Only a comparison asked to fail on regressions changes the exit code of a re-render.
  return options.failOnRegression && (report.comparison?.regressions.length ?? 0) > 0 ? 1 : 0;
}

function parseFormat(value: string): Format {
  if (Object.hasOwn(FORMATS, value)) return value as Format;
  throw new UsageError(`Unknown report format "${value}".`, `Use one of: ${Object.keys(FORMATS).join(', ')}.`);
}
