// `persist audit`: a Compose project on paper. Prints a table per service, writes the same
// report files as `persist run` (report.json with an `audit` section), and exits 0 when no
// finding is an error, 1 when one is, 2 when the audit could not run.
import { auditProject } from '../compose/audit-project.ts';
import { UsageError } from '../errors.ts';
import { renderSarif } from '../report/render/sarif.ts';
import type { ComposeOptions } from '../compose/compose-cli.ts';
import { checkEngine } from '../docker/engine.ts';
import { reportRefusal } from './refusal-report.ts';
import { newRunId } from '../docker/labels.ts';
import { sweepOnSignal } from '../docker/interrupt.ts';
import { exitCodeFor, type Audit } from '../report/model.ts';
import { auditTables, describeCounts, describeServices, pruneNote, SEVERITY_WORDS } from '../report/render/audit-tables.ts';
import { projectReport } from '../report/project-report.ts';
import { columns } from '../terminal/columns.ts';
import { defaultOutDir, writeReport } from '../report/write.ts';
import { stopwatch, wallClock } from '../timing/clock.ts';

export interface AuditOptions extends ComposeOptions {
  out?: string;
  /** --offline: ask no registry. */
  offline?: boolean;
  /** --format: terminal tables (the default) or the SARIF document. */
  format?: string;
}

const PRINTED_FORMATS = ['terminal', 'sarif'];

type Print = (line: string) => void;

const SEVERITY_MARK = { error: '✘', warning: '!', info: '·' } as const;

export function printAudit(audit: Audit, print: Print): void {
  print(`Project ${audit.project} (${audit.files.join(', ')}), Docker Compose ${audit.composeVersion}: read on paper, nothing started.`);
  for (const table of auditTables(audit)) {
    print('');
    print(`${table.service}  ${table.image}  (${table.read})`);
    if (table.rows.length === 0) print(`  ${table.noDataPaths}`);
    else {
      const header = table.header.filter((name) => name !== 'why');
      const rows = table.rows.map((row) => row.filter((_, index) => index !== 1));
      for (const line of columns([header, ...rows])) print(`  ${line}`);
    }
    if (table.otherMounts.length > 0) print(`  other mounts: ${table.otherMounts.join('; ')}`);
    for (const finding of table.findings) {
      print(`  ${SEVERITY_MARK[finding.severity]} ${SEVERITY_WORDS[finding.severity]} ${finding.rule}: ${finding.message}`);
      if (finding.loses) print(`      lost by: ${finding.loses}`);
      if (finding.severity !== 'info') print(`      fix: ${finding.fix}`);
    }
  }
  const prune = pruneNote(audit);
  if (prune) print(`\n${prune}`);
  print('');
}

export async function auditCommand(options: AuditOptions, print: Print): Promise<number> {
  const startedAt = wallClock();
  const timer = stopwatch();
  const runId = `audit-${newRunId(startedAt)}`;
  // The audit creates (never starts) a container to read an image's entrypoint: Ctrl-C removes it too.
  const stopListening = sweepOnSignal(runId);
  const refuse = (error: unknown) => reportRefusal(error, { runId, startedAt, timer, command: 'audit' }, options, print);
  if (options.format !== undefined && !PRINTED_FORMATS.includes(options.format))
    return refuse(
      new UsageError(`Unknown --format "${options.format}".`, `Use one of: ${PRINTED_FORMATS.join(', ')} (every format is written to the report folder).`),
    );
  // The engine is asked while Compose reads the project, and answers before any image is read:
  // without it every image would look absent.
  const engineChecked = checkEngine();
  engineChecked.catch(() => undefined);
  const audit = await auditProject(options, runId, { offline: options.offline === true }, engineChecked)
    .catch(refuse)
    .finally(stopListening);
  const engine = await engineChecked;
  const report = projectReport({ runId, startedAt, finishedAt: wallClock(), durationMs: timer.ms(), engine }, audit);
  const sarif = options.format === 'sarif';
  if (sarif) print(renderSarif(report) ?? '');
  else printAudit(audit, print);
  const written = await writeReport(report, options.out ?? defaultOutDir(runId), options.out === undefined);
  const code = exitCodeFor(report);
  // With --format sarif, stdout is the document alone: the verdict line goes to stderr.
  (sarif ? (line: string) => process.stderr.write(`${line}\n`) : print)(
    `${code === 0 ? 'PASSED' : 'NOT PASSED'}: ${describeCounts(audit)} in ${describeServices(audit)}, ${(report.durationMs / 1000).toFixed(1)} s; report: ${written.outDir}/report.md`,
  );
  return code;
}
