// The Markdown of a check report: the verdict, per service each data path against each lifecycle
// command, the cells that failed or surprised with their evidence, and then the audit it tested.
import { exitCodeFor, type CheckReport } from '../model.ts';
import { renderAuditMarkdown } from './audit-markdown.ts';
import { checkCounts, checkTables, describeLeftOut } from './check-tables.ts';
import { formatMs } from './shared.ts';

export function renderCheckMarkdown(report: CheckReport): string {
  const check = report.check;
  const { passed, failed, surprises } = checkCounts(check);
  const ok = exitCodeFor(report) === 0;
  const blocks = [
    `# Persistence check: project ${report.audit.project ?? check.copyProject}`,
    `**${ok ? '✅ PASSED' : '❌ NOT PASSED'}**: ${passed} cell(s) passed, ${failed} failed, ${surprises} not as the audit predicted. A copy (\`${check.copyProject}\`) was run; the original was not touched.`,
    [
      '| Lifecycle command (whole copy) | Took | Problem |',
      '|---|---|---|',
      ...check.lifecycles.map(
        (entry) => `| \`${entry.lifecycle}\` | ${formatMs(entry.ms)} | ${[...(entry.steps ?? []), ...(entry.problem ? [entry.problem] : [])].join('; ')} |`,
      ),
    ].join('\n'),
    ...(check.replaced.length > 0 ? [`Replaced in the copy: ${check.replaced.map((r) => `${r.kind} \`${r.original}\` → \`${r.copy}\``).join(', ')}.`] : []),
    ...describeLeftOut(check).map((line) => `- Left out, not checked: ${line}`),
    ...report.harnessErrors.map((error) => `- ⚠️ harness error: ${error}`),
  ];
  for (const table of checkTables(check)) {
    const lines = [
      `## ${table.service}`,
      `| ${table.header.join(' | ')} |`,
      `|${table.header.map(() => '---').join('|')}|`,
      ...table.rows.map((row) => `| ${row.join(' | ')} |`),
    ];
    for (const cell of table.notable)
      lines.push('', `- ${cell.status === 'failed' ? '❌' : '⚠️'} \`${cell.path}\` after \`${cell.lifecycle}\`: ${cell.evidence.join('; ')}`);
    blocks.push(lines.join('\n'));
  }
  // The audit the check tested, one heading level down.
  blocks.push(
    renderAuditMarkdown(report)
      .replace(/^(#+) /gm, '#$1 ')
      .trim(),
  );
  return `${blocks.join('\n\n')}\n`;
}
