import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deadlineIn, PhaseTimer, quietTimer, sleep, stopwatch } from './clock.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('the clock', () => {
  test('no other module reads the time or sets a timer', () => {
    const reads = /performance\.now\(|Date\.now\(|new Date\(\)|setTimeout\(|setInterval\(/;
    const offenders = ['src', 'scenarios', 'test', 'bench']
      .flatMap((folder) => {
        try {
          return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file));
        } catch {
          return [];
        }
      })
      .filter((file) => file.endsWith('.ts') && file !== join('src', 'timing', 'clock.ts') && file !== join('src', 'timing', 'clock.test.ts'))
      .filter((file) => reads.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('a phase timer adds up the parts of a phase and leaves out an operation that failed', async () => {
    const timer = new PhaseTimer();
    await timer.time('stop', () => sleep(20));
    await timer.time('stop', () => sleep(20));
    await expect(timer.time('ready', () => Promise.reject(new Error('never came back')))).rejects.toThrow();
    expect(timer.phasesMs.stop).toBeGreaterThanOrEqual(38);
    expect(timer.phasesMs.ready).toBeUndefined();
    await timer.measure('copy', () => sleep(1));
    await timer.measure('copy', () => sleep(1));
    expect(timer.measurements.copy?.ms).toHaveLength(2);
    expect(timer.measurements.copy?.clock).toBe('harness');
    timer.record('seen', 'kernel-uptime', 10);
    expect(() => timer.record('seen', 'harness', 1)).toThrow(/kernel-uptime clock/);
  });

  test('stopwatch and deadline', async () => {
    const watch = stopwatch();
    // Far enough either way that a loaded machine cannot make it flaky.
    expect(deadlineIn(60_000).passed()).toBe(false);
    const soon = deadlineIn(5);
    await sleep(20);
    expect(soon.passed()).toBe(true);
    expect(soon.remainingMs()).toBe(0);
    expect(deadlineIn(60_000).remainingMs()).toBeGreaterThan(50_000);
    expect(watch.ms()).toBeGreaterThanOrEqual(19);
  });

  test('a quiet timer fires once nothing rearms it, and never after a cancel', async () => {
    let fired = 0;
    const quiet = quietTimer(30, () => fired++);
    await sleep(15);
    quiet.rearm(30);
    await sleep(20);
    // 35 ms since it was armed, 20 since the rearm: not yet.
    expect(fired).toBe(0);
    await sleep(40);
    expect(fired).toBe(1);
    const cancelled = quietTimer(5, () => fired++);
    cancelled.cancel();
    await sleep(20);
    expect(fired).toBe(1);
  });
});
