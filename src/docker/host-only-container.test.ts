import { describe, expect, test } from 'vitest';
import { publishAddressAmong } from './host-only-container.ts';

describe('the address ports are published on', () => {
  test('is the IPv4 address the harness connects to', () => {
    expect(publishAddressAmong([{ address: '172.17.0.1', family: 4 }])).toBe('172.17.0.1');
    expect(
      publishAddressAmong([
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ]),
    ).toBe('127.0.0.1');
  });
  test('is IPv6 only when the host has no IPv4 address', () => {
    expect(publishAddressAmong([{ address: '::1', family: 6 }])).toBe('::1');
  });
  test('is every interface only when the host resolved to nothing', () => {
    expect(publishAddressAmong([])).toBeUndefined();
  });
});
