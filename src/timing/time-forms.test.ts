import { describe, expect, it } from 'vitest';
import { postgresTime } from './time-forms.ts';

describe('an instant as a tool takes it', () => {
  it('PostgreSQL: a space for the T, +00 for the Z', () => {
    expect(postgresTime('2026-12-08T00:46:18.500Z')).toBe('2026-12-08 00:46:18.500+00');
  });
});
