// The performance section in Markdown: the machine, the tables, the throttle control, notes.
import type { RunReport } from '../model.ts';
import { describeMachine, describeThrottle, performanceTables } from './performance-tables.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function performanceMarkdown(report: RunReport): string {
  const performance = report.performance;
  if (!performance) return '';
  const tables = performanceTables(performance).map((table) =>
    [
      `### ${table.title}`,
      `| ${table.header.map(cell).join(' | ')} |`,
      `|${table.header.map(() => '---').join('|')}|`,
      ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    ].join('\n'),
  );
  return [
    '## Storage performance',
    describeMachine(performance),
    ...tables,
    `**${describeThrottle(performance)}**`,
    ...performance.notes.map((note) => `- ${note}`),
  ].join('\n\n');
}
