// A verify report as tables and sentences, once for every format that draws it: the verdict,
// the artifact's evidence, the phases with the recovery time, the data age, the expectations,
// the tables with their rows, the integrity tools and the damaged copy.
import { describeDuration } from '../../timing/durations.ts';
import { countsByKind, isBehind, kindCounts, objectName } from '../../data/inventory.ts';
import type { Verify, VerifyReport } from '../model.ts';
import { formatBytes, formatMs } from './shared.ts';

export interface VerifyTable {
  /** Where a format draws more than the table (HTML: the window as a time line). */
  figure?: 'window';
  heading: string;
  header: string[];
  rows: string[][];
}

const VERDICT_WORDS: Record<Verify['verdict'], string> = {
  verified: 'VERIFIED',
  failed: 'NOT VERIFIED',
  'unable-to-fail': 'UNABLE TO FAIL',
};

export function verifyTitle(report: VerifyReport): string {
  return `Backup verification${report.verify ? `: ${report.verify.artifact.path}` : ''}`;
}

/**
 * An age is this machine's clock against a time another clock wrote (a file's modification time,
 * a row's timestamp): below zero it says that clock is ahead, never a negative age.
 */
export function ageWords(ms: number, suffix: string): string {
  return ms >= 0 ? `${describeDuration(ms)} ${suffix}` : `${describeDuration(-ms)} ahead of this machine's clock`;
}

/** The one line a reader needs first: the verdict, and what it rests on. */
export function verifyHeadline(verify: Verify | null): string {
  if (verify === null) return 'COULD NOT VERIFY: the harness could not restore the artifact (the harness error says why).';
  const rows = verify.tables.reduce((sum, table) => sum + table.rows, 0);
  const age = verify.dataAge?.ageMs == null ? '' : `, data ${ageWords(verify.dataAge.ageMs, 'old')}`;
  return `${VERDICT_WORDS[verify.verdict]}: ${verify.artifact.formatTitle} restored in ${formatMs(verify.recoveryMs)} (${verify.files ? `${verify.files.count.toLocaleString('en')} file(s), ` : ''}${verify.tables.length} table(s), ${rows.toLocaleString('en')} row(s)${age}); ${verify.damaged ? (verify.damaged.failed ? 'its damaged copy failed, as it must' : 'its damaged copy passed too') : 'no damaged copy was tried'}.`;
}

export function verifyTables(report: VerifyReport): VerifyTable[] {
  const verify = report.verify;
  if (verify === null) return [];
  const { artifact, image } = verify;
  return [
    {
      heading: 'The artifact (only read)',
      header: ['Fact', 'Value'],
      rows: [
        ['path', artifact.path],
        ['format', `${artifact.formatTitle} (${artifact.format}${artifact.compression === 'none' ? '' : `, ${artifact.compression}`})`],
        ['size', formatBytes(artifact.bytes)],
        ['sha256', artifact.sha256],
        ['modified', `${artifact.modifiedAt} (${ageWords(artifact.ageMs, 'before the verification')})`],
        ['unchanged afterwards', artifact.unchanged ? 'yes (same sha256 and modification time)' : 'NO'],
        ['image', `${image.reference}${image.digest ? ` @ ${image.digest}` : image.id ? ` (id ${image.id.slice(0, 19)})` : ''}`],
        ['server', image.serverVersion ?? 'unknown'],
        ...(verify.service ? [['service', verify.service]] : []),
      ],
    },
    ...windowTables(verify.window),
    ...targetTables(verify.targets),
    {
      heading: "Recovery, phase by phase (the harness's monotonic clock)",
      header: ['Phase', 'Took'],
      rows: [
        ...verify.phases.map((p) => [p.phase, formatMs(p.ms)]),
        [
          `recovery (${verify.phases
            .filter((p) => p.phase !== 'hash')
            .map((p) => p.phase)
            .join(' + ')})`,
          formatMs(verify.recoveryMs),
        ],
      ],
    },
    {
      heading: 'Expectations',
      header: ['Expectation', 'Observed', 'Held'],
      rows: [
        ...verify.expectations.map((e) => [e.expectation, e.observed, e.passed ? 'yes' : 'NO']),
        ...(verify.dataAge
          ? [
              [
                `newest row (${verify.dataAge.query}) at most ${describeDuration(verify.dataAge.maxAgeMs)} old`,
                verify.dataAge.problem ?? `${verify.dataAge.newest}: ${verify.dataAge.ageMs === null ? 'age unknown' : ageWords(verify.dataAge.ageMs, 'old')}`,
                verify.dataAge.passed ? 'yes' : 'NO',
              ],
            ]
          : []),
        [
          verify.allowEmpty ? 'tables and rows (an empty restore allowed)' : 'at least one table with a row',
          `${verify.tables.length} table(s)`,
          verify.allowEmpty || verify.tables.some((t) => t.rows > 0) ? 'yes' : 'NO',
        ],
      ],
    },
    { heading: 'What came back', header: ['Database', 'Table', 'Rows'], rows: verify.tables.map((t) => [t.database, t.table, t.rows.toLocaleString('en')]) },
    ...inventoryTables(verify.inventory),
    appTable(verify.app),
    {
      heading: 'The restored volume',
      header: ['Fact', 'Value'],
      rows: verify.files
        ? [
            ['restored into', verify.dataPath ?? 'unknown'],
            ['files', `${verify.files.count.toLocaleString('en')} (${formatBytes(verify.files.bytes)})`],
          ]
        : [],
    },
    {
      heading: 'Restore and integrity',
      header: ['Step', 'Outcome'],
      rows: [
        ...verify.restore.steps.map((s) => [s.command, s.ok ? 'ok' : `FAILED: ${s.detail ?? ''}`]),
        ...verify.integrity.map((i) => [i.tool, `${i.passed ? 'ok' : 'FAILED'}: ${i.detail}`]),
      ],
    },
    baselineTable(verify),
    {
      heading: 'The damaged copy (it must fail)',
      header: ['Damage', 'Failed', 'Why'],
      rows: verify.damaged ? [[verify.damaged.how, verify.damaged.failed ? 'yes' : 'NO', verify.damaged.reason]] : [],
    },
  ];
}

/** `--archive`: the window the continuous archive gives the base backup, and each gap in it. */
function windowTables(window: Verify['window']): VerifyTable[] {
  if (!window) return [];
  return [
    {
      figure: 'window',
      heading: `The recovery window (${window.archive}, read in ${formatMs(window.readMs)}; the restore replayed it ${window.gaps.length > 0 ? 'up to its first gap' : 'to its end'}${window.timelines ? `, along timelines ${window.timelines.join(' → ')}` : ''})`,
      header: ['From', 'To', 'Segments', 'Commits', 'Gap'],
      rows: [
        [
          window.start ?? 'the base backup’s end',
          window.end ?? 'no commit replayable',
          String(window.segments),
          String(window.commits),
          window.gaps.length === 0 ? 'none' : 'see below',
        ],
        ...window.gaps.map((gap) => [
          gap.lastReachable ?? 'the base backup’s end',
          `${gap.missing} MISSING`,
          '',
          `${gap.unreachableCommits} unreachable`,
          `resumes at ${gap.resumesAt}`,
        ]),
      ],
    },
  ];
}

/** Each restore to a point in time (`--at`, or the points that prove the window): what it held, where its replay stopped, how long it took. */
function targetTables(targets: Verify['targets']): VerifyTable[] {
  if (!targets || targets.length === 0) return [];
  const restored = { time: 'replayed to it', end: "the archive's end", unreachable: 'UNREACHABLE' } as const;
  const asked = targets.every((t) => (t.point ?? 'asked') === 'asked');
  return [
    {
      heading: asked
        ? 'Restores to a point in time (--at)'
        : 'The window proved: restores to its start, inside it and to its end (recovery = restore + replay + checks)',
      header: ['At', 'Point', 'Restored', 'Rows', 'Replayed to', 'Replay', 'Recovery', 'Said'],
      rows: targets.map((t) => [
        t.at,
        t.point ?? 'asked',
        restored[t.kind],
        t.rows === null ? '—' : t.rows.toLocaleString('en'),
        t.replayedTo ? `${t.replayedTo}${t.expected && Date.parse(t.expected) !== Date.parse(t.replayedTo) ? ` (the archive's: ${t.expected})` : ''}` : '—',
        replayWords(t.replay),
        t.recoveryMs === null ? '—' : formatMs(t.recoveryMs),
        t.note,
      ]),
    },
  ];
}

/** The WAL a restore replayed, in how long, and the rate. */
export function replayWords(replay: NonNullable<Verify['targets']>[number]['replay']): string {
  if (!replay) return '—';
  return `${formatBytes(replay.bytes)} in ${formatMs(replay.ms)}${replay.bytesPerSecond === null ? '' : ` (${formatBytes(replay.bytesPerSecond)}/s)`}`;
}

/** The objects by kind per database, the sequences against their columns, and the roles the objects need. */
function inventoryTables(inventory: Verify['inventory']): VerifyTable[] {
  if (inventory === null) return [];
  const byDatabase = countsByKind(inventory.objects);
  return [
    {
      heading: `What the database holds besides rows (its catalogues, read in ${formatMs(inventory.ms)})`,
      header: ['Database', 'Objects'],
      rows: [...byDatabase.keys()].map((database) => [database, kindCounts(inventory.objects.filter((object) => object.database === database))]),
    },
    {
      heading: 'Sequences (the next value must be past the column it feeds)',
      header: ['Sequence', 'Next', 'Feeds', 'Highest there', 'Held'],
      rows: inventory.sequences.map((s) => [
        `${s.database}.${s.name}`,
        s.next.toLocaleString('en'),
        s.feeds ? `${s.feeds.table}.${s.feeds.column}` : 'no column',
        s.feeds?.highest == null ? '' : s.feeds.highest.toLocaleString('en'),
        isBehind(s) ? 'NO: behind its rows' : 'yes',
      ]),
    },
    {
      heading: 'Roles the objects need',
      header: ['Roles', 'Note'],
      rows: inventory.roles.length > 0 || inventory.rolesNote ? [[inventory.roles.join(', ') || 'none', inventory.rolesNote ?? '']] : [],
    },
  ];
}

/** Each service of the application started on the restored data, and what it showed. */
function appTable(app: Verify['app']): VerifyTable {
  return {
    heading: 'The application on the restored data',
    header: ['Service', 'Image', 'Came up', 'What it showed', 'Took'],
    rows: (app ?? []).map((a) => [
      a.service,
      a.image,
      a.cameUp ? 'yes' : 'NO',
      `${a.detail}${a.logTail ? ` (last lines: ${a.logTail.split('\n').slice(-3).join(' | ')})` : ''}`,
      formatMs(a.ms),
    ]),
  };
}

/** `--baseline`: the objects lost, the tables that lost rows and the recovery then and now. */
function baselineTable(verify: Verify): VerifyTable {
  return {
    heading: `Against the baseline${verify.drift ? ` (${verify.drift.baselineRunId})` : ''}`,
    header: ['Measure', 'Baseline', 'Now', 'Change', 'Finding'],
    rows: verify.drift
      ? [
          ...verify.drift.objects.map((o) => [objectName(o), 'present', 'missing', '', 'YES']),
          ...(verify.drift.objectsCompared ? [] : [['objects', 'not listed', '', '', 'not compared (the baseline has no inventory)']]),
          ...verify.drift.tables.map((t) => [
            `${t.database}.${t.table} rows`,
            t.before.toLocaleString('en'),
            t.after.toLocaleString('en'),
            `-${t.dropPercent}%`,
            t.finding ? `YES (over ${verify.drift!.dropPercent}%)` : 'no',
          ]),
          [
            'recovery',
            formatMs(verify.drift.recovery.beforeMs),
            formatMs(verify.drift.recovery.afterMs),
            `${verify.drift.recovery.slowerPercent >= 0 ? '+' : ''}${verify.drift.recovery.slowerPercent}%`,
            verify.drift.recovery.regressed ? 'YES (a regression)' : 'no',
          ],
        ]
      : [],
  };
}
