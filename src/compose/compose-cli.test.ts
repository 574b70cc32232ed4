import { describe, expect, test } from 'vitest';
import { composeMessage, unescapeDollars } from './compose-cli.ts';

describe('reading what docker compose config prints', () => {
  test('every literal $ comes back single, in every string of the model', () => {
    // As Compose 2.26 prints `command: sh -c 'echo $$HOME $(date)'` and an x- block.
    const printed = {
      services: { a: { command: ['sh', '-c', 'echo $$HOME $$(date)'], environment: { PASSWORD: 'pa$$$$word' } } },
      'x-t': { b: 'a $$(date) u' },
      n: 1,
    };
    expect(unescapeDollars(printed)).toEqual({
      services: { a: { command: ['sh', '-c', 'echo $HOME $(date)'], environment: { PASSWORD: 'pa$$word' } } },
      'x-t': { b: 'a $(date) u' },
      n: 1,
    });
  });

  test("Compose's reason is its last line, without warnings", () => {
    expect(composeMessage('time="x" level=warning msg="obsolete"\nservice "a" has neither an image nor a build context specified.\n')).toBe(
      'service "a" has neither an image nor a build context specified',
    );
  });
});
