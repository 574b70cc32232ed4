// Every format a report can be rendered in, each a pure function of the model.
import type { Report } from '../model.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

export const FORMATS = {
  json: { file: 'report.json', render: renderJson },
  md: { file: 'report.md', render: (report: Report) => renderMarkdown(report) },
  html: { file: 'report.html', render: renderHtml },
  junit: { file: 'report.junit.xml', render: renderJunit },
} as const satisfies Record<string, { file: string; render: (report: Report) => string }>;

export type Format = keyof typeof FORMATS;
