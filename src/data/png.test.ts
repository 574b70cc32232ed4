import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { sha256 } from './hash.ts';
import { deterministicPng } from './png.ts';

describe('deterministicPng', () => {
  test('is a PNG of the asked size, the same bytes every time', () => {
    const png = deterministicPng(10, 4);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(10);
    expect(png.readUInt32BE(20)).toBe(4);
    expect(sha256(png)).toBe(sha256(deterministicPng(10, 4)));
  });

  test('its image data inflates to one filter byte plus RGB per pixel per row', () => {
    const png = deterministicPng(10, 4);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength((10 * 3 + 1) * 4);
  });
});
