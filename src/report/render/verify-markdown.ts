// The Markdown of a verify report: the verdict with what failed, then each table.
import type { VerifyReport } from '../model.ts';
import { verifyHeadline, verifyTables, verifyTitle } from './verify-tables.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderVerifyMarkdown(report: VerifyReport): string {
  const verify = report.verify;
  const blocks = [
    `# ${verifyTitle(report)}`,
    `**${verify?.verdict === 'verified' ? '✅' : '❌'} ${verifyHeadline(verify)}**`,
    ...(verify?.problems ?? []).map((problem) => `- ❌ ${problem}`),
    ...report.harnessErrors.map((error) => `- ⚠️ harness error: ${error}`),
  ];
  for (const table of verifyTables(report)) {
    if (table.rows.length === 0) continue;
    blocks.push(
      [
        `## ${table.heading}`,
        `| ${table.header.join(' | ')} |`,
        `|${table.header.map(() => '---').join('|')}|`,
        ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n'),
    );
  }
  return `${blocks.join('\n\n')}\n`;
}
