// Before a power cut: can this host make the disks, and does the engine run on it?
import { checkEngine } from './engine.ts';
import { HarnessError } from '../errors.ts';
import { powerCutUnsupported } from '../host/power-cut-support.ts';

export class PowerCutUnsupportedError extends HarnessError {}

/** Throws one sentence saying what is missing; `persist doctor` says the same. */
export async function requirePowerCuts(): Promise<void> {
  const unsupported = await powerCutUnsupported(await checkEngine());
  if (unsupported)
    throw new PowerCutUnsupportedError(`Power cuts cannot run here: ${unsupported}.`, 'Run `persist doctor` on the engine host to see what it needs.');
}
