// Every format a report can be rendered in, each a pure function of the model (undefined where a
// format has nothing to say about a report).
import type { Report } from '../model.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSarif } from './sarif.ts';

export const FORMATS = {
  json: { file: 'report.json', render: renderJson },
  md: { file: 'report.md', render: (report: Report) => renderMarkdown(report) },
  html: { file: 'report.html', render: renderHtml },
  junit: { file: 'report.junit.xml', render: renderJunit },
  // Only a report with an audit has findings to annotate: none is written for any other.
  sarif: { file: 'report.sarif', render: renderSarif },
} as const satisfies Record<string, { file: string; render: (report: Report) => string | undefined }>;

export type Format = keyof typeof FORMATS;
