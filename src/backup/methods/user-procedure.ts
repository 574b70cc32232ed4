// Your own backup and restore commands, run on the host as you would run them from cron or
// CI. They get the volume, the backup folder and the service's container in the environment
// (PERSIST_*). Every file the backup leaves in the backup folder gets a manifest, and the
// restore is refused if one of them no longer matches it.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { RUN_LABEL } from '../../docker/labels.ts';
import { MANIFEST_SUFFIX, verifyBackup, writeManifest } from '../manifest.ts';
import { BackupFailedError, lastLines, RestoreFailedError, type BackupMethod, type Workspace } from '../method.ts';
import type { Procedure } from '../procedure.ts';

export function userProcedure(procedure: Procedure): BackupMethod {
  return {
    name: 'user-procedure',
    title: `your procedure "${procedure.name}"`,
    mode: procedure.quiesce ? 'quiesced' : 'hot',
    quiesce: procedure.quiesce,
    restoresInto: procedure.restoreInto,

    async backup(workspace) {
      const existing = new Set(await backupFiles(workspace.backupDir));
      const run = await runCommand(procedure, procedure.backup, workspace);
      if (run.exitCode !== 0) throw new BackupFailedError(`"${procedure.backup}" exited with ${run.exitCode}: ${lastLines(run.output)}`);
      const made = (await backupFiles(workspace.backupDir)).filter((name) => !existing.has(name));
      if (made.length === 0) throw new BackupFailedError(`"${procedure.backup}" left no file in the backup folder ${workspace.backupDir}`);
      let bytes = 0;
      const sha256s: string[] = [];
      for (const name of made) {
        const manifest = await writeManifest(join(workspace.backupDir, name), {
          method: `user-procedure:${procedure.name}`,
          source: workspace.volume,
          entries: [],
        });
        bytes += manifest.bytes;
        sha256s.push(manifest.sha256);
      }
      workspace.evidence.push(`backup: "${procedure.backup}" exited 0 and left ${made.join(', ')}`);
      return {
        files: made.map((name) => join(workspace.backupDir, name)),
        name: made.join(', '),
        bytes,
        sha256: sha256s.length === 1 ? sha256s[0]! : null,
        entries: null,
        commands: [procedure.backup],
      };
    },

    async restore(backup, workspace) {
      for (const file of backup.files ?? []) await verifyBackup(file);
      const run = await runCommand(procedure, procedure.restore, workspace);
      if (run.exitCode !== 0) throw new RestoreFailedError(`"${procedure.restore}" exited with ${run.exitCode}: ${lastLines(run.output)}`);
      workspace.evidence.push(`restore: "${procedure.restore}" exited 0`);
    },
  };
}

/** What the commands see. */
export function procedureEnvironment(procedure: Procedure, workspace: Workspace): Record<string, string> {
  return {
    PERSIST_PROCEDURE: procedure.name,
    PERSIST_TARGET: procedure.target,
    PERSIST_VOLUME: workspace.volume,
    PERSIST_BACKUP_DIR: workspace.backupDir,
    PERSIST_CONTAINER: workspace.service?.id ?? '',
    PERSIST_DATA_DIR: workspace.dataDir,
    PERSIST_TOOLBOX_IMAGE: workspace.toolboxImage,
    // Containers the commands start should carry it, so the harness removes them whatever happens.
    PERSIST_LABEL: `${RUN_LABEL}=${workspace.scope.runId}`,
    ...workspace.subject.procedureEnv,
  };
}

async function runCommand(procedure: Procedure, command: string, workspace: Workspace): Promise<{ exitCode: number; output: string }> {
  const run = await execa('sh', ['-c', command], {
    cwd: procedure.workingDir,
    env: procedureEnvironment(procedure, workspace),
    reject: false,
    all: true,
    timeout: procedure.timeoutSeconds * 1000,
  });
  const output = String(run.all ?? '');
  if (run.timedOut) return { exitCode: -1, output: `timed out after ${procedure.timeoutSeconds} s; ${output}` };
  return { exitCode: run.exitCode ?? -1, output };
}

async function backupFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);
  const files: string[] = [];
  for (const name of names) {
    if (name.endsWith(MANIFEST_SUFFIX)) continue;
    if ((await stat(join(folder, name))).isFile()) files.push(name);
  }
  return files.sort();
}
