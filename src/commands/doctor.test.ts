import { describe, expect, test } from 'vitest';
import { otherSetLines, registryReason } from './doctor.ts';

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

describe("the other image set's lines", () => {
  const unreachable = 'lookup registry-1.docker.io on 10.255.255.53:53: no such host';
  const cannot = (name: string) => ({ name, status: { ok: false, text: `${name}:x cannot be pulled`, reason: unreachable } });

  test('no registry reachable: one line for the whole set, with the reason and what to do', () => {
    const lines = otherSetLines('official', ['postgres', 'mysql', 'redis'].map(cannot));
    expect(lines).toEqual([
      `- Other image set (--images official): none of its 3 images is here or can be had (${unreachable}); a run with \`--images local\` needs none of them.`,
    ]);
  });

  test('stand-ins not built: one line naming the build', () => {
    const lines = otherSetLines('local', [{ name: 'postgres', status: { ok: false, text: 'not built', reason: 'not built' } }]);
    expect(lines).toEqual([
      '- Other image set (--images local): none of its 1 images is here or can be had (not built); build them with `persist images build`.',
    ]);
  });

  test('some can be had: a line per image, as before', () => {
    const lines = otherSetLines('official', [cannot('postgres'), { name: 'redis', status: { ok: true, text: 'redis:7 present (abc)' } }]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Other image set (--images official):');
    expect(lines[2]).toContain('redis:7 present');
  });
});
