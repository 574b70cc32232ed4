// The HTML body of a check report: the verdict, then per service each data path against each
// lifecycle command, failed and surprising cells marked, with their evidence.
import { exitCodeFor, type CheckReport } from '../model.ts';
import { checkCounts, checkTables, describeLeftOut } from './check-tables.ts';

export function checkHtml(report: CheckReport, esc: (text: string) => string): string {
  const check = report.check;
  const ok = exitCodeFor(report) === 0;
  const { passed, failed, surprises } = checkCounts(check);
  const services = checkTables(check).map((table) => {
    const rows = table.rows.map(
      (row) =>
        `<tr>${row.map((value, index) => `<td class="${index === 0 ? '' : /^(LOST|UNAVAILABLE|KEPT)/.test(value) ? 'failed' : value.includes('predicted') ? 'errored' : 'passed'}">${index === 0 ? `<code>${esc(value)}</code>` : esc(value)}</td>`).join('')}</tr>`,
    );
    const notable = table.notable.map(
      (cell) => `<li><code>${esc(cell.path)}</code> after <code>${esc(cell.lifecycle)}</code>: ${esc(cell.evidence.join('; '))}</li>`,
    );
    return `<section class="service"><h2>${esc(table.service)}</h2>
<table><thead><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
${notable.length > 0 ? `<ul>${notable.join('')}</ul>` : ''}
</section>`;
  });
  return `<section id="verdict" class="${ok ? 'ok' : 'not-ok'}">
<p class="verdict">${ok ? 'PASSED' : 'NOT PASSED'}</p>
<p class="counts">${passed} cell(s) passed, ${failed} failed, ${surprises} not as the audit predicted; a copy (<code>${esc(check.copyProject)}</code>) was run, the original was not touched</p>
${describeLeftOut(check)
  .map((line) => `<p class="meta">Left out, not checked: ${esc(line)}</p>`)
  .join('\n')}
${report.harnessErrors.length > 0 ? `<ul class="problems">${report.harnessErrors.map((error) => `<li>harness error: ${esc(error)}</li>`).join('')}</ul>` : ''}
<p class="meta">${check.lifecycles.map((entry) => `<code>${esc(entry.lifecycle)}</code> ${(entry.ms / 1000).toFixed(1)} s${entry.steps || entry.problem ? ` (${esc([...(entry.steps ?? []), ...(entry.problem ? [entry.problem] : [])].join('; '))})` : ''}`).join(' · ')}</p>
</section>
${services.join('\n')}`;
}
