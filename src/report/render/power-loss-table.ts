// The power-loss drills' table, in every format: a row per server and setting, what a SIGKILL
// and what a power cut did to acknowledged writes side by side, and how the server came back
// after the cut.
import { type CellResult, powerLossFacts, type RunReport } from '../model.ts';
import { type FactTable, formatMs, rowsHaving } from './shared.ts';

type Row = { result: CellResult; control: boolean };

export function powerLossTable(report: RunReport): FactTable | undefined {
  const rows = rowsHaving(report, (r) => powerLossFacts(r) !== undefined);
  if (rows.length === 0) return undefined;
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const facts = powerLossFacts(row.result)!;
    const key = `${row.result.target}\n${facts.setting}\n${facts.syncedBeforeCut}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return {
    title: 'Power cut and SIGKILL side by side',
    intro:
      "Each server on a disk of its own, writers committing one row per transaction. SIGKILL: the process dies, the kernel keeps what it was handed. Power cut: an atomic copy of what the disk itself held (a disk that keeps every write it completed), mounted (ext4's journal replayed), a new container on it. " +
      'Lost: acknowledged but missing, "from … before": how long before the failure the earliest lost write was acknowledged; writes acknowledged after the cut are not judged. ' +
      '"Not promised": the setting allows this loss (its documentation says so); a control must lose under the cut; "synced first": the disk was synced right before the cut. Recovery: until the server answered on the copy, and its own integrity check.',
    headers: ['Target', 'Setting', 'Verdict', 'After SIGKILL', 'After a power cut', 'Recovery after the cut', 'File system'],
    verdictColumn: 2,
    rows: [...groups.values()].map((pair) => {
      const kill = pair.find((row) => powerLossFacts(row.result)!.failure === 'sigkill');
      const cut = pair.find((row) => powerLossFacts(row.result)!.failure === 'power-cut');
      const shown = worst(pair);
      const facts = powerLossFacts(shown.result)!;
      const cutFacts = cut ? powerLossFacts(cut.result)! : undefined;
      return {
        ...shown,
        cells: [
          shown.result.target,
          `${facts.setting}${facts.syncedBeforeCut ? ' (synced first)' : ''}`,
          kill ? lossText(kill) : '—',
          cut ? lossText(cut) : '—',
          cut ? recoveryText(cut.result) : '—',
          cutFacts?.cut ? (cutFacts.cut.fsckClean ? 'e2fsck clean' : cutFacts.cut.fsck) : '—',
        ],
      };
    }),
  };
}

/** The row's verdict: a failed or errored result first, a judged result before a control. */
function worst(pair: Row[]): Row {
  const rank = (row: Row) => (row.result.status === 'errored' ? 0 : row.result.status === 'failed' && !row.control ? 1 : row.control ? 3 : 2);
  return [...pair].sort((a, b) => rank(a) - rank(b))[0]!;
}

export function lossText({ result, control }: Row): string {
  const facts = powerLossFacts(result)!;
  const suffix = control ? ' (control)' : facts.guaranteed ? '' : ' (not promised)';
  if (!facts.serverStarted) return `did not come back: all ${facts.writes.acknowledged} acknowledged lost${suffix}`;
  const window = facts.lossWindowMs === null ? '' : `, from ${formatMs(facts.lossWindowMs)} before`;
  const trials = facts.lostPerTrial.some((lost) => lost > 0) && facts.lostPerTrial.length > 1 ? ` [per trial: ${facts.lostPerTrial.join(', ')}]` : '';
  return `${facts.writes.lost} of ${facts.writes.acknowledged} lost${window}${suffix}${trials}`;
}

function recoveryText(result: CellResult): string {
  const facts = powerLossFacts(result)!;
  if (!facts.serverStarted) return 'did not start';
  const time = facts.serverRecoveryMs === null ? '' : `${formatMs(facts.serverRecoveryMs)}, `;
  return `${time}${facts.recoveredCleanly ? 'clean' : 'NOT clean'}${facts.integrity ? ` (${facts.integrity})` : ''}`;
}
