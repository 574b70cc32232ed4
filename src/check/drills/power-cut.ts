// A power cut under write load (opt-in: --disruptions power-cut): the copy's named volumes are
// put on disks of their own first; then, while the databases commit, every disk is copied at
// one instant (what it held, not what the servers or the kernel had in memory), the copy is
// killed, and it starts again on the copies. Only named volumes are cut: a bind mount's folder,
// anonymous volumes and the writable layer live on disks the harness does not cut, and tmpfs is
// gone after any stop. The audit predicts nothing (it depends on the server's settings); a loss
// is explained by the setting that allowed it, where persist knows the server.
import { readFile } from 'node:fs/promises';
import { settingInCommand } from '../../stack/durability-setting.ts';
import { harnessNowMs } from '../../timing/clock.ts';
import type { ComposeStack } from '../../compose/compose-stack.ts';
import type { Subject } from '../check-subjects.ts';
import { VolumesOnDisks } from '../power-cut-disks.ts';
import { untilReady } from '../readiness.ts';
import { type CheckDrill, EVERY_SERVICE, outcome } from './check-drill.ts';

/** Each copy's disks, from the preparation to the cut. */
const placements = new WeakMap<ComposeStack, VolumesOnDisks>();

export const powerCut: CheckDrill = {
  ...EVERY_SERVICE,
  name: 'power-cut',
  commands: 'every named volume on a disk of its own; under write load, each disk copied at one instant, the copy killed and started on the copies',
  predictedAs: undefined,
  underWriteLoad: true,
  // Opt-in: runCheck runs it only where --disruptions names it.
  appliesTo: () => true,
  required: (storage, ephemeral) => ((storage === 'named-volume' || storage === 'external-volume') && !ephemeral ? 'kept' : undefined),
  async prepare(stack, judged, scope) {
    // Each server's first start done (RabbitMQ writes its Erlang cookie then) before its files are
    // moved: a cut must find them on the disk, as on a server that has run for a while.
    for (const subject of judged) await untilReady(stack, subject.service, subject.settings?.ready);
    const { placed, problem } = await VolumesOnDisks.place(stack, scope);
    placements.set(stack, placed);
    return { notes: [`on disks of their own: ${placed.names.join(', ') || 'no named volume'}`], ...(problem ? { problem } : {}) };
  },
  async run(stack, judged) {
    const placed = placements.get(stack);
    if (!placed) return outcome('the named volumes were not placed on disks before the cut');
    const cuts = await placed.cut();
    const judgeWritesBefore = cuts[0]?.cut.cutAt ?? harnessNowMs();
    const problem = await placed.restartOn(stack, cuts);
    const notes = cuts.map(
      ({ volume, cut }) =>
        `${volume}: copied in ${cut.copyMs} ms, its journal replayed in ${cut.replayMs} ms, ${cut.fsck.clean ? 'e2fsck clean' : cut.fsck.summary}`,
    );
    const writeback = await writebackSeconds();
    const explanations = new Map(judged.flatMap((subject) => explain(stack, subject, writeback)));
    // The servers' settings are worth saying whatever happened; the page cache's only beside a loss.
    for (const subject of judged.filter((s) => s.database)) notes.push(`${subject.service.service}: ${explanations.get(subject.service.service)}`);
    return { ...outcome(problem, new Map(), notes), judgeWritesBefore, explanations };
  },
};

/** The kernel's writeback delay: how long a written file may stay in memory only (30 s unless tuned). */
async function writebackSeconds(): Promise<number> {
  const centiseconds = Number((await readFile('/proc/sys/vm/dirty_expire_centisecs', 'utf8').catch(() => '3000')).trim());
  return Number.isFinite(centiseconds) ? centiseconds / 100 : 30;
}

/**
 * The setting a known server runs with, and what it promises under a power cut; for anything
 * else, that files written without fsync wait in memory for the kernel's writeback.
 */
function explain(stack: ComposeStack, subject: Subject, writeback: number): Array<[string, string]> {
  const settings = subject.database?.target.powerLossSettings;
  if (!settings)
    return [
      [
        subject.service.service,
        `writes files without forcing them to disk (no fsync) as far as persist can tell: the kernel writes them back within ${writeback} s (vm.dirty_expire_centisecs), and a power cut before that loses them`,
      ],
    ];
  const service = subject.service.service;
  const setting = settingInCommand(stack.commandOf(service), settings);
  if (!setting) return [[service, 'persist cannot tell its durability setting from its command (a configuration file is not read)']];
  return [[service, `runs ${setting.name === 'default' ? "the image's own durability settings" : setting.name}: ${setting.promise}`]];
}
