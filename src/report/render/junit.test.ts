import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import auditSample from '../fixtures/audit-report.json' with { type: 'json' };
import sample from '../fixtures/sample-report.json' with { type: 'json' };
import performanceSample from '../fixtures/performance-report.json' with { type: 'json' };
import { type AuditReport, summarise, type RunReport } from '../model.ts';
import { renderJunit } from './junit.ts';

const SCHEMA = fileURLToPath(new URL('../../../test/fixtures/junit.xsd', import.meta.url));
const report = sample as RunReport;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'junit-test-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** xmllint's verdict on the XML against the common JUnit schema. */
async function validate(xml: string): Promise<{ valid: boolean; output: string }> {
  const file = join(folder, `report-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  const run = await execa('xmllint', ['--noout', '--schema', SCHEMA, file], { reject: false, all: true });
  return { valid: run.exitCode === 0, output: String(run.all) };
}

function brokenReport(): RunReport {
  const broken = structuredClone(report);
  const failed = broken.results[0]!;
  failed.status = 'failed';
  failed.observed = 'lost';
  failed.evidence.push('a line with <angle brackets> & "quotes" and a control character \u0007');
  const errored = broken.results[1]!;
  errored.status = 'errored';
  errored.observed = null;
  errored.error = 'trial 1: the engine went away';
  broken.controls[0]!.caught = false;
  broken.harnessErrors.push('scenarios/x.test.ts: it failed to load');
  broken.summary = summarise(broken.results, broken.controls);
  return broken;
}

describe('JUnit XML', () => {
  test('a passing report validates against the common JUnit schema, one testcase per result and control', async () => {
    const xml = renderJunit(report);
    const verdict = await validate(xml);
    expect(verdict.valid, verdict.output).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(report.results.length + report.controls.length);
    expect(xml).toContain(`<testsuites name="persistence-harness run ${report.runId}" tests="9" failures="0" errors="0"`);
  });

  test('data not as expected is a failure with the evidence; what the harness could not judge is an error', async () => {
    const xml = renderJunit(brokenReport());
    const verdict = await validate(xml);
    expect(verdict.valid, verdict.output).toBe(true);
    expect(xml).toContain('<failure message="expected survives, observed lost" type="DataNotAsExpected">');
    expect(xml).toContain('a line with &lt;angle brackets&gt; &amp; "quotes" and a control character ');
    expect(xml).toContain('<error message="trial 1: the engine went away" type="HarnessError">');
    expect(xml).toMatch(/<error message="the broken setup was not reported as lost .*" type="ControlNotCaught">/);
    expect(xml).toContain('tests="10" failures="1" errors="3"');
  });

  test('a performance run validates too: its figures are testcases with their output', async () => {
    expect(await validate(renderJunit(performanceSample as RunReport))).toMatchObject({ valid: true });
  });

  test('an audit validates too: a testcase per service', async () => {
    const verdict = await validate(renderJunit(auditSample as AuditReport));
    expect(verdict.valid, verdict.output).toBe(true);
  });

  test('durations are seconds: every measured phase over the trials', () => {
    const first = report.results[0]!;
    const ms = first.timings.perTrial.reduce((n, t) => n + Object.values(t.phasesMs).reduce((a, b) => a + (b ?? 0), 0), 0);
    expect(renderJunit(report)).toContain(`<testcase name="${first.title}" classname="${first.scenario}.${first.target}" time="${(ms / 1000).toFixed(3)}">`);
  });

  test('the schema is not a formality: a testcase without a time is rejected', async () => {
    const verdict = await validate(renderJunit(report).replace(/(<testcase [^>]*) time="[\d.]+"/, '$1'));
    expect(verdict.valid).toBe(false);
  });
});
