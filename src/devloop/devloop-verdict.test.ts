import { describe, expect, test } from 'vitest';
import { ITEMS, judgeDevloop, type LoopObservation } from './devloop-verdict.ts';

const working: LoopObservation = { answered: true, editsMade: 5, editsSeen: 5, renameSeen: true, servedAfterSyntaxError: true };
const failedItems = (result: ReturnType<typeof judgeDevloop>) => result.items.filter((i) => i.expected !== i.observed).map((i) => i.item);

describe('judgeDevloop', () => {
  test('a loop that served every edit, the renamed save and the recovery survives with every item as expected', () => {
    const result = judgeDevloop(working, { starts: true, editsServed: true, recoversAfterSyntaxError: true });
    expect(result.observed).toBe('survives');
    expect(failedItems(result)).toEqual([]);
  });

  test('one edit missed is lost, and the edits item says so', () => {
    const result = judgeDevloop({ ...working, editsSeen: 4 }, { starts: true, editsServed: true });
    expect(result.observed).toBe('lost');
    expect(failedItems(result)).toEqual([ITEMS.edits]);
  });

  test('a missed rename-save is lost even when every plain edit was served', () => {
    const result = judgeDevloop({ ...working, renameSeen: false }, { starts: true, editsServed: true });
    expect(result.observed).toBe('lost');
    expect(failedItems(result)).toEqual([ITEMS.rename]);
  });

  test('an app that exits on a syntax error matches where that is the expected behaviour, and fails where recovery is', () => {
    const exited = { ...working, servedAfterSyntaxError: false };
    expect(failedItems(judgeDevloop(exited, { starts: true, editsServed: true, recoversAfterSyntaxError: false }))).toEqual([]);
    expect(failedItems(judgeDevloop(exited, { starts: true, editsServed: true, recoversAfterSyntaxError: true }))).toEqual([ITEMS.recovery]);
  });

  test('a control whose edit never arrives is lost against an expectation of served edits', () => {
    const result = judgeDevloop(
      { answered: true, editsMade: 1, editsSeen: 0, renameSeen: null, servedAfterSyntaxError: null },
      { starts: true, editsServed: true },
    );
    expect(result.observed).toBe('lost');
    expect(failedItems(result)).toEqual([ITEMS.edits]);
  });

  test('no edits made proves nothing: lost, never survives', () => {
    expect(judgeDevloop({ ...working, editsMade: 0, editsSeen: 0 }, { starts: true, editsServed: true }).observed).toBe('lost');
  });

  test('the trap: an app that never answers matches the expectation that it does not start', () => {
    const result = judgeDevloop(
      { answered: false, editsMade: 0, editsSeen: 0, renameSeen: null, servedAfterSyntaxError: null },
      { starts: false, editsServed: false },
    );
    expect(result.observed).toBe('lost');
    expect(failedItems(result)).toEqual([]);
    const started = judgeDevloop({ ...working, renameSeen: null, servedAfterSyntaxError: null }, { starts: false, editsServed: false });
    expect(failedItems(started)).toEqual([ITEMS.answers]);
  });
});
