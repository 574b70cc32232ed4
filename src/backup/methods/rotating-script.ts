// The seed's rotating backup script (examples/rotating-backup/backup-volumes.sh), run as a
// user runs it: several volumes per run, timestamped names, `find -mtime +7 -delete`. Time is
// simulated: after a first run its archives become a history planted at ages on both sides of
// the 7-day boundary, then the script runs again and rotates. The drill checks exactly what it
// kept and deleted, and restores the OLDEST retained archive, not the newest.
import { copyFile, readdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { runOneShot } from '../../docker/one-shot.ts';
import { RUN_LABEL } from '../../docker/labels.ts';
import type { BackupMode } from '../../report/model.ts';
import { MANIFEST_SUFFIX, writeManifest } from '../manifest.ts';
import { BackupFailedError, backupStamp, fileBackup, lastLines, type BackupMethod, type Workspace } from '../method.ts';
import { describeAge, expectedRetention, SIMULATED_AGES_MS } from '../rotation.ts';
import { helperTar } from './helper-tar.ts';
import { epochMs, harnessNowMs } from '../../timing/clock.ts';

export const ROTATING_SCRIPT = fileURLToPath(new URL('../../../examples/rotating-backup/backup-volumes.sh', import.meta.url));
/** The retention the seed's script promises: "keep last 7 days". */
const KEEP_DAYS = 7;

export interface RotatingOptions {
  mode: BackupMode;
  /** What the script is actually told; only the negative control makes it differ from KEEP_DAYS. */
  scriptKeepDays?: number;
}

export function rotatingScript({ mode, scriptKeepDays = KEEP_DAYS }: RotatingOptions): BackupMethod {
  const extract = helperTar({ mode });
  return {
    name: 'rotating-script',
    title: `rotating backup script (${mode})`,
    mode,
    quiesce: mode === 'quiesced',
    restoresInto: 'volume',

    async backup(workspace) {
      // The seed backs up several volumes per run: the service's, plus two small ones.
      const volumes = [workspace.volume, ...(await Promise.all(['app-config', 'user-uploads'].map((purpose) => smallVolume(workspace, purpose))))];
      const command = `BACKUP_DIR=${workspace.backupDir} BACKUP_VOLUMES="${volumes.join(' ')}" BACKUP_IMAGE=${workspace.toolboxImage} ${ROTATING_SCRIPT}`;

      const firstRunAt = harnessNowMs();
      await runScript(workspace, volumes, scriptKeepDays);
      const planted = await plantHistory(workspace.backupDir, volumes);
      await runScript(workspace, volumes, scriptKeepDays);

      // What is left, against what find -mtime +7 must have left.
      const remaining = new Set((await readdir(workspace.backupDir)).filter((name) => name.endsWith('.tar.gz')));
      const expected = expectedRetention(planted, KEEP_DAYS);
      const kept = planted
        .filter((a) => remaining.has(a.name))
        .map((a) => a.name)
        .sort();
      const deleted = planted
        .filter((a) => !remaining.has(a.name))
        .map((a) => a.name)
        .sort();
      const rotation = { kept, deleted, expectedKept: expected.kept, expectedDeleted: expected.deleted, restored: '' };
      const wrong = [
        ...expected.kept.filter((n) => !kept.includes(n)).map((n) => `${n} was deleted but is younger than 8 days`),
        ...expected.deleted.filter((n) => !deleted.includes(n)).map((n) => `${n} was kept but is 8 days or older`),
      ];
      if (wrong.length > 0) throw new BackupFailedError(`the rotation is wrong: ${wrong.join('; ')}`);
      workspace.evidence.push(
        `rotation (find -mtime +${KEEP_DAYS}): kept ${kept.length} planted archives (${describeAges(planted, kept)}), deleted ${deleted.length} (${describeAges(planted, deleted)}), as expected; the last run's archives are kept too`,
      );

      // Restore the oldest archive the rotation kept for the service's volume.
      const oldest = planted.filter((a) => a.volume === workspace.volume && kept.includes(a.name)).sort((a, b) => b.ageMs - a.ageMs)[0];
      if (!oldest) throw new BackupFailedError(`no archive of ${workspace.volume} survived the rotation`);
      rotation.restored = oldest.name;
      const file = join(workspace.backupDir, oldest.name);
      const manifest = await writeManifest(file, { method: 'rotating-script', source: workspace.volume, entries: await listArchive(workspace, oldest.name) });
      workspace.evidence.push(
        `restoring the oldest retained archive, ${oldest.name} (${describeAge(oldest.ageMs)} old in simulated time; a copy of the first run)`,
      );
      return { ...fileBackup(file, manifest, [command]), startedAt: firstRunAt, rotation };
    },

    restore: (backup, workspace) => extract.restore(backup, workspace),
  };
}

async function smallVolume(workspace: Workspace, purpose: string): Promise<string> {
  const volume = await workspace.scope.createVolume(purpose);
  const run = await runOneShot(workspace.scope, {
    image: workspace.toolboxImage,
    script: `echo ${purpose} > /data/${purpose}.txt`,
    binds: [`${volume}:/data`],
    purpose: `seed-${purpose}`,
  });
  if (run.exitCode !== 0) throw new Error(`could not seed ${volume}: ${lastLines(run.logs)}`);
  return volume;
}

async function runScript(workspace: Workspace, volumes: string[], keepDays: number): Promise<void> {
  const run = await execa('bash', [ROTATING_SCRIPT], {
    env: {
      BACKUP_DIR: workspace.backupDir,
      BACKUP_VOLUMES: volumes.join(' '),
      BACKUP_IMAGE: workspace.toolboxImage,
      BACKUP_LABEL: `${RUN_LABEL}=${workspace.scope.runId}`,
      KEEP_DAYS: String(keepDays),
    },
    reject: false,
    all: true,
    timeout: 600_000,
  });
  // The seed's script does not check tar's exit code; the harness does, and restores anyway.
  if (run.exitCode !== 0 || !String(run.all).includes('Backup process completed!')) {
    throw new BackupFailedError(`backup-volumes.sh exited with ${run.exitCode}: ${lastLines(String(run.all))}`);
  }
  const failures = String(run.all)
    .split('\n')
    .filter((line) => line.startsWith('tar:') && !/removing leading/i.test(line));
  if (failures.length > 0) workspace.evidence.push(`backup-volumes.sh: tar warned: ${failures.slice(0, 2).join(' | ')}`);
}

interface PlantedArchive {
  name: string;
  volume: string;
  ageMs: number;
}

/** Turns the first run's archives into a history at the simulated ages (names and mtimes). */
async function plantHistory(backupDir: string, volumes: string[]): Promise<PlantedArchive[]> {
  const now = epochMs();
  const planted: PlantedArchive[] = [];
  for (const volume of volumes) {
    const firstRun = (await readdir(backupDir)).find((name) => name.startsWith(`${volume}_`) && name.endsWith('.tar.gz'));
    if (!firstRun) throw new BackupFailedError(`the first run of backup-volumes.sh made no archive of ${volume}`);
    for (const ageMs of SIMULATED_AGES_MS) {
      const when = new Date(now - ageMs);
      const name = `${volume}_${backupStamp(when)}.tar.gz`;
      await copyFile(join(backupDir, firstRun), join(backupDir, name));
      await utimes(join(backupDir, name), when, when);
      planted.push({ name, volume, ageMs });
    }
    await rm(join(backupDir, firstRun));
    await rm(join(backupDir, `${firstRun}${MANIFEST_SUFFIX}`), { force: true });
  }
  return planted;
}

async function listArchive(workspace: Workspace, name: string): Promise<string[]> {
  const run = await runOneShot(workspace.scope, {
    image: workspace.toolboxImage,
    script: `tar tzf /backup/${name}`,
    binds: [`${workspace.backupDir}:/backup:ro`],
    purpose: 'list-archive',
  });
  if (run.exitCode !== 0) throw new BackupFailedError(`${name} cannot be listed: ${lastLines(run.logs)}`);
  return run.logs.split('\n').filter((line) => line !== '' && !line.startsWith('tar:'));
}

function describeAges(planted: PlantedArchive[], names: string[]): string {
  const ages = [...new Set(planted.filter((a) => names.includes(a.name)).map((a) => a.ageMs))].sort((a, b) => a - b);
  return ages.map(describeAge).join(', ') || 'none';
}
