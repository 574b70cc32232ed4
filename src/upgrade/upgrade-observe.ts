// Reading what a new server did with old data: from its log, from where it says its data is,
// from the fingerprint; and the upgrade step some servers need, run and reported.
import { execIn } from '../docker/exec.ts';
import { withTimeout } from '../timing/clock.ts';
import type { Fingerprint } from '../data/fingerprint.ts';
import type { InPlaceUpgrade, UpgradeFacts } from '../report/model.ts';
import { isWithin } from '../storage/paths.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';

const MAX_MESSAGES = 4;
const STEP_TIMEOUT_MS = 300_000;

function matchingLines(logs: string, pattern: RegExp): string[] {
  const all = logs.split('\n').map((line) => line.trim());
  // A line that ends by announcing a list ("…PostgreSQL data in:") is followed by what matters.
  const lines = all.filter((line, i) => pattern.test(line) || (i > 0 && /data in:$/.test(all[i - 1] ?? '') && line !== ''));
  return [...new Set(lines)].slice(0, MAX_MESSAGES);
}

/**
 * Why a server (or its entrypoint) would not start: PostgreSQL's FATAL and DETAIL lines, MySQL's
 * [ERROR] lines, an entrypoint's "Error:" line and the path it names (postgres 18's entrypoint
 * refuses a volume at the old path with "… PostgreSQL data in: /var/lib/postgresql/data (unused
 * mount/volume)").
 */
export function refusalMessages(logs: string): string[] {
  return matchingLines(logs, /FATAL|DETAIL|\[ERROR\]|^Error:|incompatible|not compatible|unused mount/);
}

/** What a server said about upgrading data or about initialising a fresh data directory. */
export function upgradeMessages(logs: string, target: DatabaseTarget): string[] {
  const initialisation = target.initialisationMarkers.map((marker) => marker.source).join('|');
  return matchingLines(logs, new RegExp(`upgrad|${initialisation}`, 'i'));
}

export interface InPlaceFacts {
  before: Fingerprint;
  after: Fingerprint;
  /** The new container printed first-start initialisation lines. */
  initialised: boolean;
  mounted: string;
  serverDataDir: string;
}

/**
 * A server that runs on data it initialised itself, or outside the mounted path, started empty:
 * the old data sits unused in the volume. Same data: upgraded in place.
 */
export function classifyInPlace(facts: InPlaceFacts): InPlaceUpgrade {
  const outsideMount = !isWithin(facts.serverDataDir, facts.mounted);
  const anyOldTablePresent = Object.entries(facts.before).some(([table, fp]) => fp.present && facts.after[table]?.present);
  if ((facts.initialised || outsideMount) && !anyOldTablePresent) return 'reinitialised';
  return JSON.stringify(facts.before) === JSON.stringify(facts.after) ? 'upgraded' : 'data-differs';
}

/** Finds the target's upgrade tool in the container, asks it whether it is needed, runs it if so. */
export async function runUpgradeStep(containerId: string, step: NonNullable<DatabaseTarget['upgradeStep']>): Promise<NonNullable<UpgradeFacts['upgradeStep']>> {
  const inContainer = async (script: string, env: Record<string, string> = {}) => {
    const run = await withTimeout(execIn(containerId, ['sh', '-c', script], { env }), STEP_TIMEOUT_MS, 'the upgrade step did not finish within 5 minutes');
    return { exitCode: run.exitCode, stdout: run.stdout.toString('utf8'), stderr: run.stderr };
  };
  const tool = (await inContainer(step.find)).stdout.trim();
  if (!tool) return { tool: null, needed: null, ran: false, summary: 'the image has no upgrade tool: the server upgrades its own system tables' };
  const check = await inContainer(step.check, { TOOL: tool });
  const needed = check.exitCode === 0;
  if (!needed) return { tool, needed, ran: false, summary: `${tool} --check-if-upgrade-is-needed: not needed` };
  const run = await inContainer(step.run, { TOOL: tool });
  const recheck = await inContainer(step.check, { TOOL: tool });
  const lastLine = `${run.stdout}\n${run.stderr}`.trim().split('\n').pop() ?? '';
  return {
    tool,
    needed,
    ran: true,
    summary: `${tool} --check-if-upgrade-is-needed: needed; ${tool} exited with ${run.exitCode} ("${lastLine}"); checked again: ${recheck.exitCode === 0 ? 'STILL needed' : 'not needed'}`,
  };
}
