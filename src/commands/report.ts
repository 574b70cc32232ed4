// `persist report FILE`: renders a stored report.json again, in any format, so a past run can
// be read, or handed to CI, without running anything. `persist report --compare A B` renders
// B compared with A: changed verdicts and recovery time regressions.
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_REGRESSION, parseThreshold } from '../config.ts';
import { UsageError } from '../errors.ts';
import { compareReports } from '../report/compare.ts';
import { readReportFile, readRunReportFile } from '../report/read.ts';
import { FORMATS, type Format } from '../report/render/formats.ts';
import { newRunId } from '../docker/labels.ts';
import { mergeShardReports } from '../report/merge.ts';
import { exitCodeFor, type Report } from '../report/model.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';

export interface ReportOptions {
  format: string;
  out?: string;
  compare?: boolean;
  regressionPercent?: string;
  regressionMs?: string;
  failOnRegression?: boolean;
  merge?: boolean;
}

export async function reportCommand(files: string[], options: ReportOptions, print: (text: string) => void): Promise<number> {
  const format = parseFormat(options.format);
  if (options.merge) return mergeCommand(files, options, print);
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
  let report: Report = await readReportFile(files.at(-1)!);
  if (options.compare) {
    const thresholds = {
      percent: parseThreshold(options.regressionPercent, DEFAULT_REGRESSION.percent, '--regression-percent'),
      ms: parseThreshold(options.regressionMs, DEFAULT_REGRESSION.ms, '--regression-ms'),
    };
    const current = await readRunReportFile(files.at(-1)!);
    report = { ...current, comparison: compareReports(await readRunReportFile(files[0]!), current, thresholds, options.failOnRegression ?? false) };
  }
  const rendered = FORMATS[format].render(report);
  if (rendered === undefined)
    throw new UsageError(`This report has no audit, so it has no ${format} form.`, 'Give the report.json of `persist audit` or `persist check`.');
  if (options.out === undefined) {
    print(rendered.replace(/\n$/, ''));
  } else {
    const target = resolve(options.out);
    await writeFile(`${target}.partial`, rendered);
    await rename(`${target}.partial`, target);
  }
  // Only a comparison asked to fail on regressions changes the exit code of a re-render.
  const regressions = report.kind === 'run' ? (report.comparison?.regressions.length ?? 0) : 0;
  return options.failOnRegression && regressions > 0 ? 1 : 0;
}

function parseFormat(value: string): Format {
  if (Object.hasOwn(FORMATS, value)) return value as Format;
  throw new UsageError(`Unknown report format "${value}".`, `Use one of: ${Object.keys(FORMATS).join(', ')}.`);
}

/** `persist report --merge`: the shards' reports as one, written in every format; its exit code is the merged verdict. */
async function mergeCommand(files: string[], options: ReportOptions, print: (text: string) => void): Promise<number> {
  if (options.compare) throw new UsageError('--merge and --compare are two commands.', 'Merge the shards first, then compare the merged report.json.');
  const parts = await Promise.all(files.map(async (file) => ({ file, report: await readRunReportFile(file) })));
  const runId = newRunId();
  const merged = mergeShardReports(parts, runId);
  const written = await writeReport(merged, options.out ?? defaultOutDir(`merged-${runId}`), options.out === undefined);
  const s = merged.summary;
  print(
    `merged ${parts.length} shard report(s) into ${written.outDir}: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored of ${s.total}; controls caught ${s.controlsCaught}/${s.controls}`,
  );
  return exitCodeFor(merged);
}
