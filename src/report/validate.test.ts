import { describe, expect, test } from 'vitest';
import sample from './fixtures/sample-report.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import older from './fixtures/sample-report-v3.json' with { type: 'json' };
import audited from './fixtures/audit-report.json' with { type: 'json' };
import sampleV11 from './fixtures/sample-report-v11.json' with { type: 'json' };
import auditedV11 from './fixtures/audit-report-v11.json' with { type: 'json' };
import checkedV5 from './fixtures/check-report-v5.json' with { type: 'json' };
import verified from './fixtures/verify-report.json' with { type: 'json' };
import { killFacts, type RunReport, SCHEMA_VERSION } from './model.ts';
import { publishedSchemaText, PUBLISHED_SCHEMA_FILE, X_PERSIST_SCHEMA_FILE, xPersistSchemaText } from '../publish-schemas.ts';
import { readableReport, reportProblems } from './validate.ts';

describe('the report schema', () => {
  test('accepts a report the harness wrote', () => {
    expect(reportProblems(sample)).toEqual([]);
  });

  test('rejects a result without a status', () => {
    const broken = structuredClone(sample) as Record<string, unknown> & { results: Array<Record<string, unknown>> };
    delete broken.results[0]!.status;
    expect(reportProblems(broken)).toContain("/results/0 must have required property 'status'");
  });

  test('rejects an unknown storage type', () => {
    const broken = structuredClone(sample);
    (broken.results[1] as { storage: string }).storage = 'floppy-disk';
    expect(reportProblems(broken)).toContain(
      '/results/1/storage must be equal to one of the allowed values ("named-volume", "bind-mount", "tmpfs", "container-layer")',
    );
  });

  test('rejects another schema version and fields it does not know', () => {
    const broken = { ...structuredClone(sample), schemaVersion: 1, extra: true };
    const problems = reportProblems(broken);
    expect(problems).toContain(`/schemaVersion must be equal to constant (${SCHEMA_VERSION})`);
    expect(problems).toContain('the report must NOT have additional properties (extra)');
  });

  test('the published report.schema.json is the schema the code is typed by', () => {
    expect(readFileSync(PUBLISHED_SCHEMA_FILE, 'utf8')).toBe(publishedSchemaText());
  });

  test('the published x-persist.schema.json is the schema x-persist is typed by', () => {
    expect(readFileSync(X_PERSIST_SCHEMA_FILE, 'utf8')).toBe(xPersistSchemaText());
  });

  test('a version 3 report still loads, its drill facts moved under details', () => {
    expect(reportProblems(older)).not.toEqual([]);
    const withKill = structuredClone(older) as unknown as { results: Array<Record<string, unknown>> };
    withKill.results[0]!.kill = {
      durability: 'durable',
      serverArgs: [],
      writers: 4,
      writes: { attempted: 3, acknowledged: 3, present: 3, lost: 0, unexpected: 0, recovered: 0 },
      lostPerTrial: [0],
      crashRecovery: true,
    };
    const { report, problems } = readableReport(withKill);
    expect(problems).toEqual([]);
    expect(report?.schemaVersion).toBe(SCHEMA_VERSION);
    expect(report?.kind).toBe('run');
    expect(killFacts((report as RunReport).results[0]!)?.writers).toBe(4);
    expect(reportProblems(report)).toEqual([]);
  });

  test('a version 4 report still loads as it was, under the new number', () => {
    const version4 = { ...structuredClone(sampleV11), schemaVersion: 4 };
    const { report, problems } = readableReport(version4);
    expect(problems).toEqual([]);
    expect(report).toEqual(sample);
    expect(readableReport({ ...version4, audit: { project: 'x' } }).problems).toContain('the report must NOT have additional properties (audit)');
  });

  test('a version 6 report still loads as it was, under the new number; it cannot carry a performance section', () => {
    const version6 = { ...structuredClone(sampleV11), schemaVersion: 6 };
    const { report, problems } = readableReport(version6);
    expect(problems).toEqual([]);
    expect(report).toEqual(sample);
    expect(readableReport({ ...version6, performance: {} }).problems).toContain('the report must NOT have additional properties (performance)');
  });

  test('a version 7 report still loads as it was, under the new number; it cannot carry shards', () => {
    const version7 = { ...structuredClone(sampleV11), schemaVersion: 7 };
    const { report, problems } = readableReport(version7);
    expect(problems).toEqual([]);
    expect(report).toEqual(sample);
    expect(readableReport({ ...version7, shards: [] }).problems).toContain('the report must NOT have additional properties (shards)');
  });

  test('a version 3 report that breaks its own schema is refused', () => {
    const broken = { ...structuredClone(older), extra: true };
    expect(readableReport(broken).problems).toContain('the report must NOT have additional properties (extra)');
  });
});

describe('reports of the latest earlier versions', () => {
  test('a version 8 report still loads as it was, under the new number; it cannot carry development-loop facts', () => {
    const version8 = { ...structuredClone(sampleV11), schemaVersion: 8 };
    const { report, problems } = readableReport(version8);
    expect(problems).toEqual([]);
    expect(report).toEqual(sample);
    const devloop = { ...structuredClone(sampleV11.results[0]!), details: { kind: 'devloop' } };
    expect(readableReport({ ...version8, results: [devloop] }).problems.length).toBeGreaterThan(0);
  });

  test("a version 9 audit reads as the current version: every service's facts came from the image on the machine", () => {
    const version9 = structuredClone(auditedV11) as unknown as { schemaVersion: number; audit: { services: Array<Record<string, unknown>> } };
    version9.schemaVersion = 9;
    for (const service of version9.audit.services) delete service.facts;
    const { report, problems } = readableReport(version9);
    expect(problems).toEqual([]);
    expect(report).toEqual(audited);
    expect(readableReport({ ...version9, audit: auditedV11.audit }).problems).toContain('/audit/services/0 must NOT have additional properties (facts)');
  });
});

describe('a verification lists its objects (version 16)', () => {
  test('a version 15 verification reads with no inventory, and its drift compared no objects', () => {
    const { inventory: _listed, app: _app, ...verify } = verified.verify;
    const drift = { baselineRunId: 'verify-1', dropPercent: 20, tables: [], recovery: { beforeMs: 900, afterMs: 950, slowerPercent: 5.6, regressed: false } };
    const { report, problems } = readableReport({ ...verified, schemaVersion: 15, verify: { ...verify, drift } });
    expect(problems).toEqual([]);
    expect(report).toMatchObject({ schemaVersion: SCHEMA_VERSION, verify: { inventory: null, app: null, drift: { objects: [], objectsCompared: false } } });
    expect(readableReport({ ...verified, schemaVersion: 15 }).problems).toContain('/verify must NOT have additional properties (inventory)');
  });
});

describe('each command its own document under one envelope (version 12)', () => {
  test('a version 11 run report reads as the run document: the same cells, no audit or check', () => {
    const { report, problems } = readableReport(sampleV11);
    expect(problems).toEqual([]);
    expect(report).toEqual(sample);
    expect(report?.kind).toBe('run');
  });

  test("a version 11 audit reads as the audit document: no run's settings, summary, results or controls", () => {
    const { report, problems } = readableReport(auditedV11);
    expect(problems).toEqual([]);
    expect(report).toEqual(audited);
    expect(Object.keys(report!)).not.toEqual(expect.arrayContaining(['settings']));
    for (const field of ['settings', 'summary', 'results', 'controls', 'phaseDefinitions']) expect(report).not.toHaveProperty(field);
  });

  test('a version 5 check reads as the check document, with the audit it tested', () => {
    const { report, problems } = readableReport(checkedV5);
    expect(problems).toEqual([]);
    expect(report?.kind).toBe('check');
    expect(report).not.toHaveProperty('results');
    expect(reportProblems(report)).toEqual([]);
  });

  test("an audit document cannot carry a run's placeholders, and a report must say its kind", () => {
    expect(reportProblems({ ...structuredClone(audited), results: [] })).toContain('the report must NOT have additional properties (results)');
    const { kind: _kind, ...untold } = structuredClone(sample);
    expect(reportProblems(untold)).toContain("the report must have required property 'kind'");
  });
});
