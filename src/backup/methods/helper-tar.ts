// The seed's Method 1: a helper container mounts the volume at /data and the backup folder
// at /backup and writes a .tar.gz. tar stores the paths as data/…, so the restore extracts with
// the first component stripped (the seed's `--strip 1`; `--strip-components 1` is the spelling
// both GNU and busybox tar accept) from inside the new volume.
import { join } from 'node:path';
import { runOneShot } from '../../docker/one-shot.ts';
import type { BackupMode } from '../../report/model.ts';
import { verifyBackup, writeManifest } from '../manifest.ts';
import { BackupFailedError, backupStamp, fileBackup, lastLines, RestoreFailedError, type BackupMethod } from '../method.ts';
import { wallClock } from '../../timing/clock.ts';

export interface HelperTarOptions {
  mode: BackupMode;
  /** Path components to strip on restore: 1 is right; 0 is the "wrong path" negative control. */
  stripComponents?: number;
}

export function helperTar({ mode, stripComponents = 1 }: HelperTarOptions): BackupMethod {
  return {
    name: 'helper-tar',
    title: `helper-container tar (${mode})`,
    mode,
    quiesce: mode === 'quiesced',
    restoresInto: 'volume',

    async backup(workspace) {
      const name = `${workspace.volume}_${backupStamp(wallClock())}.tar.gz`;
      const command = `tar czvf /backup/${name} /data`;
      const run = await runOneShot(workspace.scope, {
        image: workspace.toolboxImage,
        script: command,
        binds: [`${workspace.volume}:/data`, `${workspace.backupDir}:/backup`],
        purpose: 'backup-tar',
        timeoutMs: 600_000,
      });
      // GNU tar exits 1 when a file changed while it was read (a hot backup): a warning, and the
      // restore shows what it cost. Anything higher means there is no archive to trust.
      const warnings = run.logs.split('\n').filter((line) => line.startsWith('tar:') && !/removing leading/i.test(line));
      if (run.exitCode > 1) throw new BackupFailedError(`tar exited with ${run.exitCode}: ${lastLines(run.logs)}`);
      if (warnings.length > 0) workspace.evidence.push(`backup: tar exited ${run.exitCode} and warned: ${warnings.slice(0, 3).join(' | ')}`);
      const file = join(workspace.backupDir, name);
      const entries = run.logs.split('\n').filter((line) => line !== '' && !line.startsWith('tar:'));
      const manifest = await writeManifest(file, { method: 'helper-tar', source: workspace.volume, entries });
      return fileBackup(file, manifest, [
        `docker run --rm -v ${workspace.volume}:/data -v ${workspace.backupDir}:/backup ${workspace.toolboxImage} ${command.replace('czvf', 'czf')}`,
      ]);
    },

    async restore(backup, workspace) {
      if (!backup.file) throw new RestoreFailedError('The tar backup has no archive file.');
      await verifyBackup(backup.file);
      // Options before the archive: busybox tar does not look for options after operands.
      const strip = stripComponents > 0 ? `--strip-components=${stripComponents} ` : '';
      const run = await runOneShot(workspace.scope, {
        image: workspace.toolboxImage,
        script: `cd /data && tar ${strip}-xzf /backup/${backup.name}`,
        binds: [`${workspace.volume}:/data`, `${workspace.backupDir}:/backup:ro`],
        purpose: 'restore-tar',
        timeoutMs: 600_000,
      });
      if (run.exitCode !== 0) throw new RestoreFailedError(`tar exited with ${run.exitCode}: ${lastLines(run.logs)}`);
      workspace.evidence.push(
        `restore: extracted ${backup.name} into ${workspace.volume}${strip ? ` with ${strip.trim()}` : ' WITHOUT stripping the leading data/ component'}`,
      );
    },
  };
}
