// The Markdown of an audit report: the verdict, then per service where each data path lands and
// what each lifecycle command does to it, and its findings with their fixes.
import { exitCodeFor, type AuditReport, type CheckReport } from '../model.ts';
import { auditTables, describeCounts, describeServices, pruneNote, SEVERITY_WORDS } from './audit-tables.ts';

const SEVERITY_MARK = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderAuditMarkdown(report: AuditReport | CheckReport): string {
  const audit = report.audit;
  const ok = exitCodeFor(report) === 0;
  const blocks = [
    `# Persistence audit: project ${audit.project}`,
    `**${ok ? '✅ PASSED' : '❌ NOT PASSED'}**: ${describeCounts(audit)} in ${describeServices(audit)}. Read on paper: nothing was started.`,
    `- Files: ${audit.files.map((file) => `\`${file}\``).join(', ')}; Docker Compose ${audit.composeVersion}; run ${report.runId} at ${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s`,
    ...report.harnessErrors.map((error) => `- ⚠️ harness error: ${error}`),
  ];
  for (const table of auditTables(audit)) {
    const lines = [`## ${table.service}: \`${table.image}\` (${table.read})`];
    if (table.rows.length === 0) lines.push(`${table.noDataPaths[0]?.toUpperCase()}${table.noDataPaths.slice(1)}.`);
    else {
      lines.push(
        `| ${table.header.join(' | ')} |`,
        `|${table.header.map(() => '---').join('|')}|`,
        ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      );
    }
    if (table.otherMounts.length > 0) lines.push('', `Other mounts: ${table.otherMounts.map((mount) => `\`${mount}\``).join(', ')}.`);
    for (const finding of table.findings) {
      const loses = finding.loses ? ` Lost by \`${finding.loses}\`.` : '';
      lines.push(
        '',
        `- ${SEVERITY_MARK[finding.severity]} **${SEVERITY_WORDS[finding.severity]}** (${finding.rule}): ${finding.message}${loses} **Fix:** ${finding.fix}`,
      );
    }
    blocks.push(lines.join('\n'));
  }
  const prune = pruneNote(audit);
  if (prune) blocks.push(`> ${prune}`);
  return `${blocks.join('\n\n')}\n`;
}
