#!/usr/bin/env node
// `persist run` called as a function: typed settings in, the run's report out, in memory. Prints
// what a program would act on: the run, its summary, and each result's id and status.
//
//   node examples/run-as-a-function/run.mjs [official|local] [scenario…]
//
// Nothing reaches the runner through the environment: the image set, the trials and the
// scenarios are its arguments (image overrides like PERSIST_IMAGE_POSTGRES aside).
import { configFor, exitCodeFor, runScenarios } from 'persistence-harness/run';

const [imageSet = 'official', ...scenarios] = process.argv.slice(2);
const config = configFor({ imageSet, trials: 1, filters: scenarios, progress: 'quiet' });
const report = await runScenarios({ config });
process.stdout.write(
  `${JSON.stringify({
    runId: report.runId,
    settings: report.settings,
    summary: report.summary,
    results: report.results.map((result) => ({ id: result.id, status: result.status })),
    controls: report.controls.map((control) => ({ id: control.id, caught: control.caught })),
    exitCode: exitCodeFor(report),
  })}\n`,
);
process.exitCode = exitCodeFor(report);
