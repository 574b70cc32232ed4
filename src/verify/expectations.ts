// What a restored backup must hold, and the judgement of each expectation against what the
// throwaway server answered: pure functions, apart from reading an --expect file.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { type VerifyExpectation, VerifyExpectations, type VerifySettings } from '../compose/x-persist-schema.ts';
import { UsageError } from '../errors.ts';
import { parseDuration } from '../timing/durations.ts';

export type { VerifyExpectation, VerifySettings };

/**
 * A timestamp as a database prints it ("2026-12-01 23:59:58.123+01", "2026-12-01 23:59:58"),
 * in ms since the epoch; a timestamp without a zone is read as UTC. undefined when it is none.
 */
export function parseDatabaseTimestamp(text: string): number | undefined {
  const found = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!found) return undefined;
  const zone =
    found[3] === undefined ? 'Z' : found[3] === 'Z' ? 'Z' : found[3].length === 3 ? `${found[3]}:00` : found[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${found[1]}T${found[2] ?? '00:00:00'}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface ExpectationResult {
  /** In the user's words: "select count(*) from orders ≥ 1000". */
  expectation: string;
  observed: string;
  passed: boolean;
}

function bounds(expectation: Extract<VerifyExpectation, { sql: string }>): string {
  const parts = [
    expectation.equals === undefined ? undefined : `= ${expectation.equals}`,
    expectation.min === undefined ? undefined : `≥ ${expectation.min}`,
    expectation.max === undefined ? undefined : `≤ ${expectation.max}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'returns a value';
}

/** A query's expectation against the value it returned (or why it could not run). */
export function judgeQuery(
  expectation: Extract<VerifyExpectation, { sql: string }>,
  answer: { value: string | undefined } | { error: string },
): ExpectationResult {
  const described = `${expectation.sql.trim()}${expectation.database ? ` (in ${expectation.database})` : ''} ${bounds(expectation)}`;
  if ('error' in answer) return { expectation: described, observed: `the query failed: ${answer.error}`, passed: false };
  if (answer.value === undefined) return { expectation: described, observed: 'no row', passed: false };
  const value = Number(answer.value);
  if (Number.isNaN(value)) return { expectation: described, observed: `${answer.value} (not a number)`, passed: false };
  const passed =
    (expectation.equals === undefined || value === expectation.equals) &&
    (expectation.min === undefined || value >= expectation.min) &&
    (expectation.max === undefined || value <= expectation.max);
  return { expectation: described, observed: String(value), passed };
}

export interface DataAge {
  query: string;
  newest: string | null;
  ageMs: number | null;
  maxAgeMs: number;
  passed: boolean;
  problem?: string;
}

/** How old the newest row is at `nowMs`, against maxAge: the recovery point a restore of this backup gives. */
export function judgeFreshness(fresh: NonNullable<VerifySettings['fresh']>, answer: { value: string | undefined } | { error: string }, nowMs: number): DataAge {
  const maxAgeMs = parseDuration(fresh.maxAge) ?? 0;
  const base = { query: fresh.sql.trim(), maxAgeMs };
  if ('error' in answer) return { ...base, newest: null, ageMs: null, passed: false, problem: `the query failed: ${answer.error}` };
  if (answer.value === undefined) return { ...base, newest: null, ageMs: null, passed: false, problem: 'the query returned no timestamp (no row)' };
  const newestMs = parseDatabaseTimestamp(answer.value);
  if (newestMs === undefined) return { ...base, newest: answer.value, ageMs: null, passed: false, problem: `${answer.value} is not a timestamp` };
  const ageMs = nowMs - newestMs;
  return { ...base, newest: new Date(newestMs).toISOString(), ageMs, passed: ageMs <= maxAgeMs };
}

function sentence(error: ErrorObject, file: string): string {
  const where = error.instancePath.split('/').filter(Boolean).join('.') || 'the file';
  if (error.keyword === 'additionalProperties')
    return `${file}: ${where} has an unknown key \`${(error.params as { additionalProperty: string }).additionalProperty}\``;
  if (error.keyword === 'anyOf') return `${file}: ${where} must be { sql, min | max | equals }, { file }, { object } or { objects }`;
  return `${file}: ${where} ${error.message ?? 'is invalid'}`;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** The expectations as given, checked; a mistake is one sentence naming the key. */
export function checkExpectations(value: unknown, source: string): VerifySettings {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(VerifyExpectations);
  if (!validator(value)) {
    const errors = validator.errors ?? [];
    throw new UsageError(
      `${sentence(errors.find((e) => e.keyword === 'anyOf') ?? errors[0]!, source)}.`,
      'Its keys are those of x-persist `verify` (docs/verify.md).',
    );
  }
  return value as VerifySettings;
}

/** An --expect file: the same keys as x-persist's `services.NAME.verify` (YAML or JSON). */
export async function readExpectFile(path: string): Promise<VerifySettings> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`The expectations file ${path} cannot be read.`, 'Give --expect an existing YAML file.');
  });
  const document = (parse(text) as { verify?: unknown } | null) ?? {};
  return checkExpectations('verify' in document ? document.verify : document, path);
}
