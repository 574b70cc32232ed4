// A dump's restore: a throwaway server of the image started on empty storage, the dump loaded into
// it with the image's own tools by the service's kit, then checked.
import type { Readable } from 'node:stream';
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { ArtifactHead, ArtifactKit } from '../services/artifact-kits.ts';
import { round, stopwatch } from '../timing/clock.ts';
import { type ArtifactFacts, artifactStream } from './artifact-file.ts';
import { runIn, startThrowaway, untilAnswering } from './throwaway-server.ts';
import { ArtifactUnusableError, checkRestored, checksMs, EMPTY, type Pass, type VerifyTarget } from './restore-pass.ts';

/** One restore of a dump into a new server of the image, and everything checked on it. */
export async function restoreDump(
  kit: ArtifactKit,
  format: string,
  artifact: ArtifactFacts,
  head: ArtifactHead,
  target: VerifyTarget,
  scope: RunScope,
  intact: boolean,
): Promise<Pass> {
  const phases: Verify['phases'] = [];
  const started = stopwatch();
  const environment = { ...target.setup.environment, ...kit.throwawayEnvironment(target.setup.environment) };
  const server = await startThrowaway({ ...target.setup, environment }, scope);
  const notAnswering = await untilAnswering(server, kit.readyCommand);
  phases.push({ phase: 'start', ms: round(started.ms()) });
  if (notAnswering) return { ...EMPTY, failure: `the server did not start: ${notAnswering}`, serverVersion: null, phases };
  const run = runIn(server, (): Readable => artifactStream(artifact));
  const serverVersion = await kit.serverVersion(run);
  const unreadable = intact ? kit.unreadable?.(format, head, serverVersion) : undefined;
  if (unreadable) throw new ArtifactUnusableError(unreadable.why, unreadable.fix);
  const restoring = stopwatch();
  const restore = await kit.restore(run, format, { head, read: () => artifactStream(artifact) });
  phases.push({ phase: 'restore', ms: round(restoring.ms() - (restore.integrityMs ?? 0)) });
  const failedStep = restore.steps.find((step) => !step.ok);
  if (failedStep) return { ...EMPTY, restore, failure: `\`${failedStep.command}\` failed (${failedStep.detail ?? 'no detail'})`, serverVersion, phases };
  const checking = stopwatch();
  const checked = await checkRestored(kit, run, { database: restore.database, format, roles: restore.roles ?? [] }, target.settings);
  phases.push({ phase: 'checks', ms: checksMs(checking.ms(), 'inventory' in checked ? checked.inventory : null) });
  if ('failure' in checked) return { ...EMPTY, restore, failure: checked.failure, serverVersion, phases };
  return { ...EMPTY, failure: undefined, restore, ...checked, serverVersion, phases, serverId: server.id };
}
