// A command on the user's Compose project that cannot run (a file Compose refuses, an image the
// copy lacks, a seed command that fails) still writes the report that was asked for, in every
// format: the refusal is its harness error, so CI gets a JUnit file with the reason and exit 2.
import { basename, dirname, resolve } from 'node:path';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import { checkEngine, type EngineFacts } from '../docker/engine.ts';
import { HarnessError } from '../errors.ts';
import type { Audit } from '../report/model.ts';
import { projectReport } from '../report/project-report.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';
import { type Stopwatch, wallClock } from '../timing/clock.ts';

/** Said of an engine that could not be asked: the refusal may be that there is none. */
const ENGINE_NOT_READ: EngineFacts = { version: 'not read', apiVersion: 'not read', storageDriver: 'not read', operatingSystem: 'not read' };

/** The project as far as it is known without Compose's answer: its files and the name Compose would give it. */
function projectAsGiven(options: ComposeOptions): Audit {
  const files = options.files.map((file) => resolve(file));
  const folder = options.projectDirectory ?? dirname(files[0] ?? '.');
  return { project: options.projectName ?? basename(resolve(folder)), composeVersion: 'not read', files, lifecycle: [], services: [], findings: [] };
}

export interface Refused {
  runId: string;
  startedAt: Date;
  timer: Stopwatch;
  command: 'audit' | 'check';
}

/** Writes the report of a refused command and throws the refusal on, for the one-line answer and exit 2. */
export async function reportRefusal(error: unknown, run: Refused, options: ComposeOptions & { out?: string }, print: (line: string) => void): Promise<never> {
  if (!(error instanceof HarnessError)) throw error;
  const engine = await checkEngine().catch(() => ENGINE_NOT_READ);
  const facts = { runId: run.runId, startedAt: run.startedAt, finishedAt: wallClock(), durationMs: run.timer.ms(), engine };
  // A check that never started its copy has no cells: its report says so, as a check.
  const check = run.command === 'check' ? { copyProject: 'not started', replaced: [], lifecycles: [], cells: [] } : undefined;
  const report = projectReport(facts, projectAsGiven(options), check, [error.oneLine()]);
  // An --out that cannot be written is itself the refusal: then the one line is all there is.
  const written = await writeReport(report, options.out ?? defaultOutDir(run.runId), options.out === undefined).catch(() => undefined);
  if (written) print(`NOT PASSED: the ${run.command} could not run; report: ${written.outDir}/report.md`);
  throw error;
}
