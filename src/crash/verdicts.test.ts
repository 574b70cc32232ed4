import { describe, expect, test } from 'vitest';
import { judgeKill } from './kill-drill.ts';
import { judgeStopMode } from './stop-modes.ts';

describe('the crash drills verdicts', () => {
  test('a kill: every acknowledged write present and none unexpected survives', () => {
    expect(judgeKill({ lost: 0, unexpected: 0 })).toBe('survives');
    expect(judgeKill({ lost: 1, unexpected: 0 })).toBe('lost');
    expect(judgeKill({ lost: 0, unexpected: 2 })).toBe('lost');
  });

  test('a stop mode must keep the writes and stop the way it promises', () => {
    expect(judgeStopMode({ lost: 0, unexpected: 0 }, 'clean', 'clean')).toEqual({ observed: 'survives', matches: true, differences: [] });
    const crashed = judgeStopMode({ lost: 0, unexpected: 0 }, 'crash-recovery', 'clean');
    expect(crashed.matches).toBe(false);
    expect(crashed.differences).toEqual(['crash recovery on the next start where clean shutdown was expected']);
    expect(judgeStopMode({ lost: 3, unexpected: 0 }, 'crash-recovery', 'crash-recovery')).toMatchObject({ observed: 'lost', matches: false });
  });
});
