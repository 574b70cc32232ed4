// The development-loop table, one per stack, shared by the Markdown and HTML renderers: how
// each setup served edits made on the host, how long they took, whether the app restarted,
// and how the traps behaved. Controls are rows too: their edits must never be served.
import { devloopFacts, type CellResult, type DevloopFacts, type RunReport } from '../model.ts';
import { formatMs, rowsHaving, type FactTable } from './shared.ts';

const SYNTAX: Record<NonNullable<DevloopFacts['syntaxError']>['behaviour'], string> = {
  waited: 'kept running, waited for a good edit',
  exited: 'container exited',
  'kept-serving': 'old code kept serving',
};

function setupOf(result: CellResult, facts: DevloopFacts, control: boolean): string {
  if (result.variant === 'devloop-without-modules-volume') return `trap: ${facts.mounts}, no -v /app/node_modules`;
  return control ? `control: ${facts.mounts}` : `${facts.watcher} (${facts.mounts})`;
}

function edits(result: CellResult, facts: DevloopFacts): string[] {
  if (facts.startError) {
    const exit = facts.startError.exitCode === null ? 'still running' : `exit ${facts.startError.exitCode}`;
    return [`app did not start (${exit}): ${facts.startError.logLine ?? 'no error line'}`, '—', '—'];
  }
  const delay = result.measurements?.['edit → served'];
  return [
    `${facts.edits.seen} of ${facts.edits.made}`,
    delay ? `${formatMs(delay.medianMs)} / ${formatMs(delay.maxMs)}` : '—',
    facts.edits.seen > 0 ? `${facts.edits.restarts} of ${facts.edits.seen}` : '—',
  ];
}

function seenWithDelay(flag: { seen: boolean } | null, delay: number | undefined): string {
  if (flag === null) return '—';
  return flag.seen ? `served${delay !== undefined ? ` (${formatMs(delay)})` : ''}` : 'not picked up';
}

function syntaxCell(facts: DevloopFacts): string {
  const s = facts.syntaxError;
  if (!s) return '—';
  const exit = s.exitCode === null ? '' : ` (exit ${s.exitCode})`;
  return `${SYNTAX[s.behaviour]}${exit}${s.logLine ? `: ${s.logLine}` : ''}; next good edit ${s.nextGoodEditServed ? 'served' : 'not served'}`;
}

export function devloopTables(report: RunReport): FactTable[] {
  const rows = rowsHaving(report, (result) => devloopFacts(result) !== undefined);
  const stacks = [...new Set(rows.map(({ result }) => devloopFacts(result)!.stack))];
  return stacks.map((stack) => ({
    title: `Development loop: ${stack}`,
    intro:
      'Edits made on the host while the app runs. Served: an answer carrying the edit, polled every 20 ms from the moment the file was written (median / max over every edit of every trial; the counts are the trial shown); ' +
      'restarts: edits after which the app printed its start line again. Save by rename: a temporary file renamed over the source (a new inode, as many editors save). ' +
      'New file: a file added under routes/ that the app loads when it starts. Syntax error: an edit that does not parse, then a good one. Lost change events (network and VM file systems) are not reproduced here.',
    headers: ['Setup', 'Verdict', 'Edits served', 'Edit → served (median / max)', 'Restarts', 'Save by rename', 'New file', 'Syntax error'],
    verdictColumn: 1,
    rows: rows
      .filter(({ result }) => devloopFacts(result)!.stack === stack)
      .map(({ result, control }) => {
        const facts = devloopFacts(result)!;
        return {
          result,
          control,
          cells: [
            setupOf(result, facts, control),
            ...edits(result, facts),
            seenWithDelay(facts.renameSave, result.measurements?.['rename-save → served']?.medianMs),
            seenWithDelay(facts.newFile, result.measurements?.['new file → served']?.medianMs),
            syntaxCell(facts),
          ],
        };
      }),
  }));
}
