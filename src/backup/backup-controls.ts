// Negative controls for backup drills: backups broken on purpose. Each must come out "failed"
// with the damage named, or the check it sabotages could never fail.
import { truncate } from 'node:fs/promises';
import type { BackupMethod } from './method.ts';
import { helperTar } from './methods/helper-tar.ts';

/** A tar backup whose archive loses its second half after the manifest was written. */
export function truncatingTar(): BackupMethod {
  const inner = helperTar({ mode: 'quiesced' });
  return {
    ...inner,
    async backup(workspace) {
      const backup = await inner.backup(workspace);
      if (!backup.file) throw new Error('the tar backup made no file');
      await truncate(backup.file, Math.floor(backup.bytes / 2));
      workspace.evidence.push(`sabotage: ${backup.name} truncated to ${Math.floor(backup.bytes / 2)} of ${backup.bytes} bytes after its manifest was written`);
      return backup;
    },
  };
}

/** Extracts the archive without stripping its leading data/ component: the data lands one level too deep. */
export function restoreIntoWrongPath(): BackupMethod {
  return helperTar({ mode: 'quiesced', stripComponents: 0 });
}
