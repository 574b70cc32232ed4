// The example GitHub Actions workflows, read as a runner reads them, for the tests that run their commands.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** One step of a job: an action it uses, or a shell command it runs. */
export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, string>;
  run?: string;
  if?: string;
}

const EXAMPLES = new URL('../../examples/ci/', import.meta.url);

/** A workflow in examples/ci/, parsed; its shape is the caller's to state. */
export async function readWorkflow<T>(file: string): Promise<T> {
  return parse(await readFile(new URL(file, EXAMPLES), 'utf8')) as T;
}
