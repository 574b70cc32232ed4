// The damaged copy every verification restores as well, which must fail: of the archive where one
// is given and a file of it can be spared, else of the artifact itself, damaged place after place
// until a copy fails. The artifact and the archive are only read: the copies are the run's.
import type { Verify } from '../report/model.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { ArchiveReading } from '../services/artifact-kits.ts';
import type { ArtifactFacts } from './artifact-file.ts';
import { damagedCopy } from './damage.ts';
import { damagedArchive } from './point-in-time.ts';
import type { Pass } from './restore-pass.ts';
import type { ArchiveMount } from './restore-into-volume.ts';
import { judgeDamagedCopy } from './verify-verdict.ts';

type Log = (line: string) => void;

/**
 * Damaged copies of the artifact, restored like it, until one fails (it must). A restore that
 * already fails has shown it can fail: no copy is tried. A folder is damaged in another place while
 * its damaged copies restore the same data.
 */
async function restoreDamagedCopies(
  artifact: ArtifactFacts,
  intact: Pass,
  restorePass: (facts: ArtifactFacts, intact: boolean) => Promise<Pass>,
  scope: RunScope,
  log: Log,
): Promise<Verify['damaged']> {
  let damaged: Verify['damaged'] = null;
  const sameData: string[] = [];
  for (let attempt = 0; damaged?.failed !== true; attempt += 1) {
    const copy = await damagedCopy(artifact, await scope.createHostFolder('verify-damaged'), attempt);
    if (!copy) break;
    log(`verify: the damaged copy (${copy.how})`);
    const judged = judgeDamagedCopy(intact, await restorePass({ ...artifact, path: copy.path }, false));
    const before = sameData.length > 0 ? ` (before it, ${sameData.join('; ')}: each restored the same data as the intact artifact)` : '';
    damaged = { how: `${copy.how}${before}`, ...judged };
    sameData.push(copy.how);
  }
  return damaged;
}

/** The damaged copy a verification restores as well: of the archive where one is given and a segment can be spared, else of the artifact. */
export async function damagedRestore(
  artifact: ArtifactFacts,
  intact: Pass,
  restorePass: (facts: ArtifactFacts, intact: boolean, archive?: ArchiveMount) => Promise<Pass>,
  archive: { path: string; reading: ArchiveReading; reread: (copy: string) => Promise<ArchiveReading> } | undefined,
  scope: RunScope,
  log: Log,
): Promise<Verify['damaged']> {
  if (intact.failure !== undefined) return null;
  const scratch = archive ? await scope.createHostFolder('verify-damaged-archive') : undefined;
  const ofArchive = archive
    ? await damagedArchive(archive.path, archive.reading, intact, (mount) => restorePass(artifact, false, mount), archive.reread, scratch!, log)
    : undefined;
  return ofArchive ?? (await restoreDamagedCopies(artifact, intact, restorePass, scope, log));
}
