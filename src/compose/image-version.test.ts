import { describe, expect, test } from 'vitest';
import { announcedVersion } from './image-version.ts';

describe('the version an image announces', () => {
  test('its OCI version label first', () => {
    expect(announcedVersion({ 'org.opencontainers.image.version': '11.4.2' }, { GOSU_VERSION: '1.17' })).toBe('11.4.2');
  });
  test("else the official image's own variable, the most specific one", () => {
    expect(announcedVersion({}, { GOSU_VERSION: '1.17', PG_MAJOR: '17', PG_VERSION: '17.2-1.pgdg120+1' })).toBe('17.2-1.pgdg120+1');
    expect(announcedVersion({}, { PG_MAJOR: '17', LANG: 'C.UTF-8' })).toBe('17');
  });
  test('a helper’s version is not the service’s, and an image that says nothing has no version', () => {
    expect(announcedVersion({}, { GOSU_VERSION: '1.17' })).toBeUndefined();
    expect(announcedVersion({ 'org.opencontainers.image.version': ' ' }, {})).toBeUndefined();
  });
});
