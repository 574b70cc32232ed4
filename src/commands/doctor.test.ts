import { describe, expect, test } from 'vitest';
import { registryReason } from './doctor.ts';

describe('registryReason', () => {
  test('keeps what happened and drops the HTTP wrapping', () => {
    const error = new Error(
      '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
    );
    expect(registryReason(error)).toBe('lookup registry-1.docker.io on 10.255.255.53:53: no such host');
  });

  test('says something even for an empty error', () => {
    expect(registryReason(new Error(''))).toBe('no answer');
  });
});
