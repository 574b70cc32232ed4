// The same verdicts before and after a redesign: every result id of the golden list (recorded
// from a run before it) with the same status and observation, and every control caught, in a
// report of a run after it. Cells the golden list does not know (a service added since) are
// listed apart, never counted as a difference.
//
//   npm run verdicts:compare [-- REPORT.json [GOLDEN.json]]   (reports/latest/report.json against the list recorded at dec92b2 unless named)
import { readFile } from 'node:fs/promises';
import { readRunReportFile } from '../src/report/read.ts';
import { runBench } from './bench-kit.ts';

interface Golden {
  recordedFrom: string;
  results: { id: string; status: string; observed: string }[];
  controls: { id: string; caught: boolean }[];
}

await runBench('verdicts:compare', async () => {
  const [reportFile = 'reports/latest/report.json', goldenFile = 'test/fixtures/golden/run-verdicts-dec92b2.json'] = process.argv.slice(2);
  const report = await readRunReportFile(reportFile);
  const golden = JSON.parse(await readFile(goldenFile, 'utf8')) as Golden;

  const now = new Map(report.results.map((r) => [r.id, `${r.status} ${r.observed}`]));
  const controlsNow = new Map(report.controls.map((c) => [c.id, c.caught]));
  const differences = [
    ...golden.results
      .filter((r) => now.get(r.id) !== `${r.status} ${r.observed}`)
      .map((r) => `${r.id}: was ${r.status} ${r.observed}, now ${now.get(r.id) ?? 'missing'}`),
    ...golden.controls
      .filter((c) => controlsNow.get(c.id) !== c.caught)
      .map((c) => `${c.id}: was caught ${c.caught}, now ${controlsNow.get(c.id) ?? 'missing'}`),
  ];
  const known = new Set([...golden.results.map((r) => r.id), ...golden.controls.map((c) => c.id)]);
  const added = [...now.keys(), ...controlsNow.keys()].filter((id) => !known.has(id));
  process.stdout.write(
    `golden: ${golden.recordedFrom}\n${golden.results.length} results and ${golden.controls.length} controls compared: ${differences.length} differ\n${differences.map((d) => `  ${d}\n`).join('')}` +
      `${added.length} new since (not compared): ${added.join(', ')}\n`,
  );
  process.exitCode = differences.length === 0 ? 0 : 1;
});
