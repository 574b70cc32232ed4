import { describe, expect, test } from 'vitest';
import { linesSinceStart, sinceSecondOf } from './lines-since-start.ts';

// Read off this machine's engine (Docker 28, `docker restart` of a shell that prints at once).
const FIRST_RUN = ['2026-12-07T17:29:36.866192131Z first', '2026-12-07T17:29:36.866273912Z second'];
/** Printed on TERM, and stamped 7.5 ms after the FinishedAt that inspect reports for the run. */
const LAST_WORDS = '2026-12-07T17:29:37.510724622Z bye';
/** Stamped 0.4 ms before the StartedAt of the run that printed it. */
const SECOND_RUN = ['2026-12-07T17:29:37.881386588Z first', '2026-12-07T17:29:37.881432606Z second'];
const LOG = [...FIRST_RUN, LAST_WORDS, ...SECOND_RUN];

describe('the lines of the current run', () => {
  test("after a restart: this run's lines, its first one stamped before StartedAt included, the last run's drained line left out", () => {
    expect(linesSinceStart(LOG, '2026-12-07T17:29:37.881763026Z', '2026-12-07T17:29:37.503210304Z')).toEqual(SECOND_RUN);
  });

  test('a container that never exited: every line, even one stamped 37 ms before its StartedAt', () => {
    const lines = ['2026-12-07T17:29:34.479307843Z first'];
    expect(linesSinceStart(lines, '2026-12-07T17:29:34.516584984Z', '0001-01-01T00:00:00Z')).toEqual(lines);
    expect(sinceSecondOf('0001-01-01T00:00:00Z')).toBe(0);
  });

  test('a FinishedAt that is not before StartedAt (the engine wrote them from two clocks): the boundary is the exit itself', () => {
    expect(linesSinceStart(LOG, '2026-12-07T17:29:37.500000000Z', '2026-12-07T17:29:37.503210304Z')).toEqual([LAST_WORDS, ...SECOND_RUN]);
    expect(linesSinceStart(LOG, '2026-12-07T17:29:37.503210304Z', '2026-12-07T17:29:37.503210304Z')).toEqual([LAST_WORDS, ...SECOND_RUN]);
  });

  test('a line without a timestamp is kept: it cannot be told to be older', () => {
    expect(linesSinceStart(['untimed'], '2026-12-07T17:29:37.881763026Z', '2026-12-07T17:29:37.503210304Z')).toEqual(['untimed']);
  });

  test("`docker logs --since` in whole seconds, from the last exit's", () => {
    expect(sinceSecondOf('2026-12-07T17:29:37.503210304Z')).toBe(Math.floor(Date.parse('2026-12-07T17:29:37Z') / 1000));
  });
});
