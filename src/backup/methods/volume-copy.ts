// The seed's Method 3: a helper container copies one volume into another. The seed writes
// `cp -r`, which makes every copy owned by root; `cp -a` keeps owners, modes and links, which a
// data directory needs. Both can be run, so the report shows what `cp -r` costs. The copy is
// the backup; the restore copies it again into the new volume, so the backup stays untouched.
import { runOneShot } from '../../docker/one-shot.ts';
import type { RunScope } from '../../docker/run-scope.ts';
import type { BackupMode } from '../../report/model.ts';
import { BackupFailedError, lastLines, RestoreFailedError, type BackupMethod } from '../method.ts';

export type CopyCommand = 'cp -a' | 'cp -r';

export function volumeCopy({ mode, copy: command = 'cp -a' }: { mode: BackupMode; copy?: CopyCommand }): BackupMethod {
  const copyCommand = `${command} /source/. /destination/`;
  return {
    name: command === 'cp -a' ? 'volume-copy' : 'volume-copy-cp-r',
    title: command === 'cp -a' ? `volume-to-volume copy (${mode})` : `volume-to-volume copy as the seed writes it, cp -r (${mode})`,
    mode,
    quiesce: mode === 'quiesced',
    restoresInto: 'volume',

    async backup(workspace) {
      const copy = await workspace.scope.createVolume(`${workspace.subject.name}-backup-copy`);
      const kib = await copyVolume(workspace.scope, workspace.toolboxImage, copyCommand, workspace.volume, copy, 'backup-copy');
      if (kib === undefined) throw new BackupFailedError('the copy did not report its size');
      return {
        volume: copy,
        name: copy,
        bytes: kib * 1024,
        sha256: null,
        entries: null,
        commands: [`docker run --rm -v ${workspace.volume}:/source -v ${copy}:/destination ${workspace.toolboxImage} ${copyCommand}`],
      };
    },

    async restore(backup, workspace) {
      if (!backup.volume) throw new RestoreFailedError('The copy has no backup volume.');
      await copyVolume(workspace.scope, workspace.toolboxImage, copyCommand, backup.volume, workspace.volume, 'restore-copy');
      workspace.evidence.push(`restore: copied volume ${backup.volume} into ${workspace.volume} with ${copyCommand}`);
    },
  };
}

/** Copies and returns the destination's size in KiB (du -sk, which busybox and GNU both have). */
export async function copyVolume(
  scope: RunScope,
  image: string,
  copy: string,
  source: string,
  destination: string,
  purpose: string,
): Promise<number | undefined> {
  const run = await runOneShot(scope, {
    image,
    script: `${copy} && du -sk /destination`,
    binds: [`${source}:/source:ro`, `${destination}:/destination`],
    purpose,
    timeoutMs: 600_000,
  });
  if (run.exitCode !== 0) {
    const message = `cp exited with ${run.exitCode}: ${lastLines(run.logs)}`;
    throw purpose === 'backup-copy' ? new BackupFailedError(message) : new RestoreFailedError(message);
  }
  const size = /^(\d+)\s+\/destination$/m.exec(run.logs);
  return size ? Number(size[1]) : undefined;
}
