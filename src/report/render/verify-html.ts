// The HTML body of a verify report: the verdict with what failed, then each table.
import type { VerifyReport } from '../model.ts';
import { verifyHeadline, verifyTables } from './verify-tables.ts';
import { windowTimeline } from './verify-timeline.ts';

export function verifyHtml(report: VerifyReport, esc: (text: string) => string): string {
  const verify = report.verify;
  const ok = verify?.verdict === 'verified';
  const problems = [...(verify?.problems ?? []), ...report.harnessErrors.map((error) => `harness error: ${error}`)];
  const tables = verifyTables(report)
    .filter((table) => table.rows.length > 0)
    .map(
      (table) => `<section><h2>${esc(table.heading)}</h2>${table.figure === 'window' ? windowTimeline(verify?.window, verify?.targets, esc) : ''}
<table><thead><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${table.rows
        .map((row) => `<tr>${row.map((value) => `<td class="${/^(NO|FAILED)/.test(value) ? 'failed' : ''}">${esc(value)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>
</section>`,
    );
  return `<section id="verdict" class="${ok ? 'ok' : 'not-ok'}">
<p class="verdict">${esc(verifyHeadline(verify))}</p>
${problems.length > 0 ? `<ul class="problems">${problems.map((problem) => `<li>${esc(problem)}</li>`).join('')}</ul>` : ''}
</section>
${tables.join('\n')}`;
}
