// The audit's findings as SARIF 2.1.0, for code scanning: each finding an annotation on the line of
// the Compose file where its service, image or mount is declared. Built with node-sarif-builder.
// File locations are absolute file URIs: GitHub's upload-sarif makes them relative to the checkout
// (its checkout_path), wherever in the repository the Compose files are. Pure.
import { pathToFileURL } from 'node:url';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { AuditReport, Report } from '../model.ts';

type Finding = AuditReport['audit']['findings'][number];

const LEVELS = { error: 'error', warning: 'warning', info: 'note' } as const;
const HELP = 'https://github.com/persistence-harness/persistence-harness/blob/main/docs/audit.md#findings';

/** The words a rule's findings share: its name, spelled out. */
function ruleDescription(rule: string): string {
  const words = rule.replace(/-/g, ' ');
  return `persist audit: ${words}`;
}

function resultOf(finding: Finding, fallbackFile: string | undefined): SarifResultBuilder {
  const file = finding.location?.file ?? fallbackFile;
  const text = `${finding.service}: ${finding.message}${finding.loses ? ` Lost by: ${finding.loses}.` : ''}${finding.severity === 'info' ? '' : ` Fix: ${finding.fix}`}`;
  const result = new SarifResultBuilder().initSimple({
    level: LEVELS[finding.severity],
    messageText: text,
    ruleId: finding.rule,
    ...(file ? { fileUri: pathToFileURL(file).href } : {}),
  });
  // A region without an end runs to the end of its line: the key or list entry that declares it.
  if (finding.location) result.setLocationRegion({ startLine: finding.location.line, startColumn: finding.location.column });
  return result;
}

/** SARIF for a report with an audit; undefined for any other report. */
export function renderSarif(report: Report): string | undefined {
  if (report.kind === 'run' || report.kind === 'verify') return undefined;
  const audit = report.audit;
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'persist', toolDriverVersion: report.tool.version, url: HELP });
  for (const rule of [...new Set(audit.findings.map((finding) => finding.rule))].sort())
    run.addRule(new SarifRuleBuilder().initSimple({ ruleId: rule, shortDescriptionText: ruleDescription(rule), helpUri: HELP }));
  // A finding whose place could not be read is still an annotation, on the first Compose file.
  for (const finding of audit.findings) run.addResult(resultOf(finding, audit.files[0]));
  const log = new SarifBuilder();
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true });
}
