import { describe, expect, test } from 'vitest';
import { entrypointCandidates, refusesFormerMount } from './entrypoint.ts';

describe("an image's entrypoint", () => {
  test('found where the container would find it: itself when absolute, else along the image PATH', () => {
    expect(entrypointCandidates(['/usr/local/bin/docker-entrypoint.sh'], {})).toEqual(['/usr/local/bin/docker-entrypoint.sh']);
    expect(entrypointCandidates(['docker-entrypoint.sh'], { PATH: '/usr/lib/postgresql/18/bin:/usr/local/bin:relative' })).toEqual([
      '/usr/lib/postgresql/18/bin/docker-entrypoint.sh',
      '/usr/local/bin/docker-entrypoint.sh',
    ]);
    expect(entrypointCandidates([], {})).toEqual([]);
  });

  test("the refusal of a mount at the old data path is told by the official script's own words", () => {
    expect(refusesFormerMount('old+=( "/var/lib/postgresql/data (unused mount/volume)" )')).toBe(true);
    expect(refusesFormerMount('if [ -s "$PGDATA/PG_VERSION" ]; then DATABASE_ALREADY_EXISTS=true; fi')).toBe(false);
  });
});
