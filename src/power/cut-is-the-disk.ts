// The mechanism proved on its own, before any database runs on it: a file synced to a power-cut
// disk is on the cut's copy, a file only written (still in the page cache) is not. Were the copy
// an older state, or the host's cache, one of the two would say so.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunScope } from '../docker/run-scope.ts';
import { itemsRecord } from '../drill/assemble.ts';
import { type DrillContext, identify, runDrill } from '../drill/drill.ts';
import { PowerDisk } from '../host/power-disk.ts';
import type { CellResult, ItemOutcome } from '../report/model.ts';

export function runCutIsTheDisk(scenario: string, context: DrillContext): Promise<CellResult> {
  const identity = identify(
    { target: 'disk', storage: 'named-volume', disruption: 'power-cut', variant: 'the-cut-is-the-disk' },
    { scenario, title: 'The cut is the disk: a file synced is on the copy, a file only written is not', expected: 'survives' },
  );
  return runDrill({ identity, image: 'none (the host)', runTrial: (trial, scope) => runTrial(trial, scope) }, context);
}

async function runTrial(trial: number, scope: RunScope) {
  const folder = await scope.createHostFolder('power-disk-itself');
  scope.trackDisks(folder);
  const disk = await PowerDisk.create(folder);
  await writeFile(join(disk.mountPoint, 'synced'), 'on the disk');
  const syncMs = await disk.syncDisk();
  await writeFile(join(disk.mountPoint, 'written'), 'in memory only');
  const cut = await disk.cut();
  const seen = async (name: string) => ((await readFile(join(cut.mountPoint, name), 'utf8').catch(() => undefined)) === undefined ? 'absent' : 'visible');
  const items: ItemOutcome[] = [
    { item: 'a file synced before the cut', expected: 'visible', observed: await seen('synced') },
    { item: 'a file only written before the cut', expected: 'absent', observed: await seen('written') },
    { item: "the replayed copy's file system (e2fsck -fn)", expected: 'visible', observed: cut.fsck.clean ? 'visible' : 'absent' },
  ];
  return itemsRecord({
    trial,
    items,
    observed: items.every((i) => i.observed === i.expected) ? 'survives' : 'lost',
    imageId: '',
    serverVersion: 'the host kernel',
    evidence: [
      `a disk at ${disk.mountPoint}: ext4 on a loop device (direct I/O), its backing file on XFS with reflink`,
      `synced (syncfs of that file system) in ${syncMs} ms, then a second file written and not synced`,
      `cut: the backing file copied by reflink in ${cut.copyMs} ms, the copy mounted (journal replayed) in ${cut.replayMs} ms; ${cut.fsck.summary}`,
      ...items.map((i) => `${i.item}: ${i.observed} (expected ${i.expected})`),
    ],
  });
}
