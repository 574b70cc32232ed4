// JUnit XML, for CI systems: one testsuite per scenario, one testcase per result and per
// negative control. Data that was not as expected is a <failure> with the evidence; a result
// the harness could not judge (errored, or a control it did not catch) is an <error>.
// Durations are in seconds: the sum of every measured phase over the result's trials.
import { hostname } from 'node:os';
import { describeRegression } from '../compare.ts';
import type { AuditReport, CellResult, CheckReport, ControlResult, Report, RunReport, VerifyReport } from '../model.ts';
import { verifyTables } from './verify-tables.ts';
import { describeFigure, metricsOf } from './performance-tables.ts';
import { shardRow } from './shard-tables.ts';

interface Case {
  name: string;
  classname: string;
  seconds: number;
  failure?: { message: string; type: string; detail: string };
  error?: { message: string; type: string; detail: string };
  out: string;
}

export function renderJunit(report: Report): string {
  const suites = new Map<string, Case[]>();
  const add = (suite: string, testCase: Case) => suites.set(suite, [...(suites.get(suite) ?? []), testCase]);
  if (report.kind === 'run') {
    for (const result of report.results) add(result.scenario, resultCase(result));
    for (const control of report.controls) add(control.scenario, controlCase(control));
    for (const testCase of trendCases(report)) add('trends', testCase);
    for (const testCase of performanceCases(report)) add('performance', testCase);
  } else if (report.kind === 'check') for (const testCase of checkCases(report)) add('check', testCase);
  else if (report.kind === 'verify') for (const testCase of verifyCases(report)) add('verify', testCase);
  else for (const testCase of auditCases(report)) add('audit', testCase);
  if (report.harnessErrors.length > 0) {
    add('harness', {
      name: 'the harness ran every scenario',
      classname: 'harness',
      seconds: 0,
      error: { message: report.harnessErrors[0]!, type: 'HarnessError', detail: report.harnessErrors.join('\n') },
      out: '',
    });
  }
  const all = [...suites.values()].flat();
  const count = (cases: Case[]) => ({ tests: cases.length, failures: cases.filter((c) => c.failure).length, errors: cases.filter((c) => c.error).length });
  const totals = count(all);
  const properties = [
    ['run', report.runId],
    ['kind', report.kind],
    ...(report.kind === 'run' ? [runSettings(report)] : []).flat(),
    ['engine', report.environment.engine ? `Docker ${report.environment.engine.version}, ${report.environment.engine.storageDriver}` : 'not reachable'],
    ...report.environment.images.map((i) => [`image.${i.target}`, `${i.reference} ${i.id ?? 'not present'}`]),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`persistence-harness run ${report.runId}`)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${seconds(report.durationMs / 1000)}">`,
  ];
  let id = 0;
  for (const [suite, cases] of suites) {
    const c = count(cases);
    lines.push(
      `  <testsuite name="${attr(suite)}" package="persistence-harness" id="${id++}" hostname="${attr(hostname())}" timestamp="${report.startedAt.replace(/\.\d+Z$|Z$/, '')}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="0" time="${seconds(cases.reduce((n, x) => n + x.seconds, 0))}">`,
      '    <properties>',
      ...properties.map(([name, value]) => `      <property name="${attr(name!)}" value="${attr(value!)}"/>`),
      '    </properties>',
    );
    for (const testCase of cases) lines.push(...caseLines(testCase));
    lines.push('    <system-out/>', '    <system-err/>', '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function resultCase(result: CellResult): Case {
  const out = result.evidence.join('\n');
  const base = { name: result.title, classname: `${result.scenario}.${result.target}`, seconds: measuredSeconds(result), out };
  if (result.status === 'errored')
    return { ...base, error: { message: result.error ?? 'the harness could not judge this result', type: 'HarnessError', detail: out } };
  if (result.status === 'failed')
    return { ...base, failure: { message: `expected ${result.expected}, observed ${result.observed ?? 'nothing'}`, type: 'DataNotAsExpected', detail: out } };
  return base;
}

function controlCase(control: ControlResult): Case {
  const out = [
    `sabotage: ${control.sabotage}`,
    `harness said: ${control.cell.status}, observed ${control.cell.observed ?? 'nothing'}`,
    ...control.cell.evidence,
  ].join('\n');
  const base = { name: `negative control: ${control.title}`, classname: `${control.scenario}.controls`, seconds: measuredSeconds(control.cell), out };
  if (control.caught) return base;
  return {
    ...base,
    error: {
      message: `the broken setup was not reported as lost (${control.sabotage}): the check it sabotages cannot fail`,
      type: 'ControlNotCaught',
      detail: out,
    },
  };
}

/** Against a baseline: one testcase per regression (a failure only with --fail-on-regression). */
function trendCases(report: RunReport): Case[] {
  const c = report.comparison;
  if (!c) return [];
  const rule = `slower by more than ${c.thresholds.percent} % and ${c.thresholds.ms} ms than run ${c.baseline.runId}`;
  if (c.regressions.length === 0)
    return [
      { name: `recovery times within thresholds of run ${c.baseline.runId}`, classname: 'trends.recovery', seconds: 0, out: `no median recovery ${rule}` },
    ];
  return c.regressions.map((r) => {
    const detail = describeRegression(r);
    const base = { name: `recovery time of ${r.title}`, classname: 'trends.recovery', seconds: 0, out: detail };
    return c.failOnRegression ? { ...base, failure: { message: `recovery ${rule}`, type: 'RecoveryRegression', detail } } : base;
  });
}

/** Benchmarks: one case per metric, its figures per storage type as output; a figure is never a failure. */
function performanceCases(report: RunReport): Case[] {
  const performance = report.performance;
  if (!performance) return [];
  const figures = metricsOf(performance).map(({ metric, byStorage }) => ({
    name: `${metric.label} (${metric.unit})`,
    classname: `performance.${metric.tool}`,
    seconds: 0,
    out: [...byStorage.values()].map((figure) => `${figure.storage}: ${describeFigure(figure)} ${figure.unit}`).join('\n'),
  }));
  const tuning = performance.tuning.map((t) => ({ name: t.title, classname: 'performance.tuning', seconds: 0, out: t.finding }));
  const claims = performance.claims.map((c) => ({ name: `the seed: ${c.seed}`, classname: 'performance.claims', seconds: 0, out: c.measured }));
  return [...figures, ...tuning, ...claims];
}

/** A check: one case per service × data path × command; a lost need fails it, a broken prediction is an error. */
function checkCases(report: CheckReport): Case[] {
  return report.check.cells.map((cell) => {
    const detail = cell.evidence.join('\n');
    return {
      name: `${cell.service} ${cell.path} after ${cell.lifecycle}: ${cell.observed}`,
      classname: `check.${report.audit.project}`,
      seconds: 0,
      ...(cell.status === 'failed' ? { failure: { message: `${cell.observed}, needed ${cell.required ?? 'nothing'}`, type: 'DataLost', detail } } : {}),
      ...(cell.status === 'passed' && cell.surprise
        ? { error: { message: `observed ${cell.observed}, the audit predicted ${cell.predicted}`, type: 'Surprise', detail } }
        : {}),
      out: detail,
    };
  });
}

/** An audit: one case per service, failed by its error findings; warnings and notes go to its output. */
/** The restore and its expectations as one case, and the damaged copy as another: a verification that cannot fail is an error. */
function verifyCases(report: VerifyReport): Case[] {
  const verify = report.verify;
  // Not verified at all: the harness error says why, as its own case.
  if (verify === null) return [];
  const out = verifyTables(report)
    .flatMap((table) => table.rows.map((row) => `${table.heading}: ${row.join(' · ')}`))
    .join('\n');
  const restored: Case = {
    name: `${verify.artifact.formatTitle} restores and holds what is expected (${verify.artifact.path})`,
    classname: `verify.${verify.artifact.format}`,
    seconds: verify.recoveryMs / 1000,
    ...(verify.verdict === 'failed'
      ? { failure: { message: verify.problems[0] ?? 'not verified', type: 'BackupNotVerified', detail: verify.problems.join('\n') } }
      : {}),
    out,
  };
  const damaged: Case = {
    name: 'a damaged copy of the artifact fails the same verification',
    classname: `verify.${verify.artifact.format}`,
    seconds: 0,
    ...(verify.damaged && !verify.damaged.failed
      ? {
          error: {
            message: `the damaged copy (${verify.damaged.how}) passed too: this verification cannot fail`,
            type: 'UnableToFail',
            detail: verify.damaged.reason,
          },
        }
      : {}),
    out: verify.damaged ? `${verify.damaged.how}: ${verify.damaged.reason}` : 'not tried: the intact artifact did not verify',
  };
  return [restored, damaged];
}

function auditCases(report: AuditReport): Case[] {
  const audit = report.audit;
  return audit.services.map((service) => {
    const findings = audit.findings.filter((finding) => finding.service === service.service);
    const errors = findings.filter((finding) => finding.severity === 'error');
    const describe = (finding: (typeof findings)[number]) => `${finding.severity} ${finding.rule}: ${finding.message} Fix: ${finding.fix}`;
    return {
      name: `${service.service} keeps its data (${service.image})`,
      classname: `audit.${audit.project}`,
      seconds: 0,
      ...(errors.length > 0 ? { failure: { message: errors[0]!.message, type: errors[0]!.rule, detail: errors.map(describe).join('\n') } } : {}),
      out: [
        ...service.dataPaths.map((path) => `${path.path}: ${path.storage.kind}${path.storage.target ? ` at ${path.storage.target}` : ''}`),
        ...findings.filter((finding) => finding.severity !== 'error').map(describe),
      ].join('\n'),
    };
  });
}

/** A run's own properties: its settings and, for a shard or a merge, which shards. */
function runSettings(report: RunReport): string[][] {
  return [
    ['imageSet', report.settings.imageSet],
    ['trials', String(report.settings.trials)],
    ...(report.shard ? [['shard', `${report.shard.index}/${report.shard.count}`]] : []),
    ...(report.shards ?? []).map((shard) => [`shard.${shard.index}`, shardRow(shard).join('; ')]),
  ];
}

function caseLines(testCase: Case): string[] {
  const open = `    <testcase name="${attr(testCase.name)}" classname="${attr(testCase.classname)}" time="${seconds(testCase.seconds)}">`;
  const problem = testCase.failure ? (['failure', testCase.failure] as const) : testCase.error ? (['error', testCase.error] as const) : undefined;
  return [
    open,
    ...(problem
      ? [`      <${problem[0]} message="${attr(problem[1].message)}" type="${attr(problem[1].type)}">${text(problem[1].detail)}</${problem[0]}>`]
      : []),
    ...(testCase.out ? [`      <system-out>${text(testCase.out)}</system-out>`] : []),
    '    </testcase>',
  ];
}

/** Every measured phase of every trial, in seconds. */
function measuredSeconds(result: CellResult): number {
  return result.timings.perTrial.reduce((total, trial) => total + Object.values(trial.phasesMs).reduce((n, ms) => n + (ms ?? 0), 0), 0) / 1000;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

// XML 1.0 cannot carry most control characters, even escaped: they are dropped.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function text(value: string): string {
  return value.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
