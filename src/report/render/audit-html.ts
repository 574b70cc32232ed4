// The HTML body of an audit report: the verdict, then one table per service with its findings.
import { exitCodeFor, type AuditReport, type CheckReport } from '../model.ts';
import { auditTables, describeCounts, describeServices, pruneNote, SEVERITY_WORDS } from './audit-tables.ts';

export function auditHtml(report: AuditReport | CheckReport, esc: (text: string) => string): string {
  const audit = report.audit;
  const ok = exitCodeFor(report) === 0;
  const badgeKind = { error: 'failed', warning: 'errored', info: 'passed' } as const;
  const services = auditTables(audit).map((table) => {
    const rows = table.rows.map(
      (row) =>
        `<tr>${row.map((value, index) => `<td class="${index >= 3 ? (value === 'lost' ? 'failed' : value === 'kept' ? 'passed' : '') : ''}">${index === 0 ? `<code>${esc(value)}</code>` : esc(value)}</td>`).join('')}</tr>`,
    );
    const findings = table.findings.map(
      (finding) =>
        `<li><span class="badge ${badgeKind[finding.severity]}">${SEVERITY_WORDS[finding.severity]}</span> <code>${esc(finding.rule)}</code> ${esc(finding.message)}${finding.loses ? ` Lost by <code>${esc(finding.loses)}</code>.` : ''} <strong>Fix:</strong> ${esc(finding.fix)}</li>`,
    );
    return `<section class="service"><h2>${esc(table.service)}: <code>${esc(table.image)}</code> <small>(${esc(table.read)})</small></h2>
${rows.length > 0 ? `<table><thead><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>` : `<p>${esc(table.noDataPaths)}</p>`}
${table.otherMounts.length > 0 ? `<p>Other mounts: ${table.otherMounts.map((m) => `<code>${esc(m)}</code>`).join(', ')}</p>` : ''}
${findings.length > 0 ? `<ul class="findings">${findings.join('')}</ul>` : ''}
</section>`;
  });
  return `<section id="verdict" class="${ok ? 'ok' : 'not-ok'}">
<p class="verdict">${ok ? 'PASSED' : 'NOT PASSED'}</p>
<p class="counts">${esc(describeCounts(audit))} in ${esc(describeServices(audit))}; read on paper, nothing was started</p>
${report.harnessErrors.length > 0 ? `<ul class="problems">${report.harnessErrors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<p class="meta">Project ${esc(audit.project)} from ${audit.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}; Docker Compose ${esc(audit.composeVersion)}; ${esc(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s</p>
</section>
${services.join('\n')}${pruneNote(audit) ? `\n<p class="note">${esc(pruneNote(audit)!)}</p>` : ''}`;
}
