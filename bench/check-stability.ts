// Stability: `persist check` on the worked `good` example, N times in a row (default 10), as a
// user runs it. Each run must be complete (every cell it owed, no harness error) and pass; the
// time, exit code and cell counts of each run are printed and kept in
// reports/check-stability/<date>.json. `npm run bench:check-stability [-- --runs N] [--images local]`
// (the image set as for `persist run`).
// Not a test: nothing here is timed against a target; it exits 1 when a run was not complete and passing.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { UsageError } from '../src/errors.ts';
import type { Report } from '../src/report/model.ts';
import { stopwatch, wallClock } from '../src/timing/clock.ts';
import { benchConfig, needProjectImages, runBench } from './bench-kit.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const PROJECT = 'examples/compose/good/compose.yaml';

interface RunRecord {
  run: number;
  exitCode: number | undefined;
  seconds: number;
  cells: number;
  passed: number;
  failed: number;
  harnessErrors: string[];
  complete: boolean;
  /** Each failed cell with its evidence: what a reader needs to see why a run did not pass. */
  failedCells: string[];
}

await runBench('bench:check-stability', async () => {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, images: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs ${values.runs} is not a number of runs.`, 'Give a whole number, 1 or more.');
  const config = benchConfig();
  const local = config.imageSet === 'local';
  const images = local ? ['--env-file', 'examples/compose/stand-ins.env'] : [];
  // The upgrade the check's own test names: the tutorial's database upgraded in place.
  const upgrade = { PERSIST_UPGRADE_WORDPRESS_DB: local ? 'persistence-harness/mysql:11.8' : 'mysql:9' };
  await needProjectImages(config, ['-f', PROJECT, ...images]);
  const scratch = await mkdtemp(join(tmpdir(), 'persist-check-stability-'));
  const records: RunRecord[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const out = join(scratch, `run-${run}`);
      const watch = stopwatch();
      const result = await execa(process.execPath, ['bin/persist.js', 'check', '-f', PROJECT, ...images, '--out', out], {
        cwd: ROOT,
        reject: false,
        env: { PERSIST_QUIET: '1', ...upgrade },
      });
      const seconds = Math.round(watch.ms() / 100) / 10;
      const report = await readFile(join(out, 'report.json'), 'utf8').then(
        (text) => JSON.parse(text) as Report,
        () => undefined,
      );
      const cells = report?.kind === 'check' ? report.check.cells : [];
      const harnessErrors = report ? report.harnessErrors : [`no report: ${result.stderr.split('\n').slice(-3).join(' ')}`];
      const record: RunRecord = {
        run,
        exitCode: result.exitCode,
        seconds,
        cells: cells.length,
        passed: cells.filter((cell) => cell.status === 'passed').length,
        failed: cells.filter((cell) => cell.status === 'failed').length,
        harnessErrors,
        complete: harnessErrors.length === 0 && cells.length > 0,
        failedCells: cells
          .filter((cell) => cell.status === 'failed')
          .map((cell) => `${cell.service} ${cell.path} (${cell.probe}) after \`${cell.lifecycle}\`: ${cell.observed}; ${cell.evidence.join('; ')}`),
      };
      records.push(record);
      console.log(
        `run ${run}/${runs}: exit ${record.exitCode}, ${seconds} s, ${record.cells} cells (${record.passed} passed, ${record.failed} failed)${record.complete ? '' : `, INCOMPLETE: ${harnessErrors.join('; ')}`}`,
      );
      for (const failed of record.failedCells) console.log(`  failed: ${failed}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const good = records.filter((record) => record.complete && record.exitCode === 0);
  const times = records.map((record) => record.seconds).sort((a, b) => a - b);
  const summary = `${good.length} of ${runs} complete and passing; ${times[0]}–${times.at(-1)} s a run, median ${times[Math.floor((times.length - 1) / 2)]} s`;
  console.log(summary);
  const folder = join(ROOT, 'reports', 'check-stability');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${wallClock().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ project: PROJECT, imageSet: local ? 'local' : 'official', summary, records }, null, 2)}\n`);
  console.log(`kept in ${file}`);
  process.exitCode = good.length === runs ? 0 : 1;
});
