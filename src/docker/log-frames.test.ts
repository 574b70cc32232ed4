import { describe, expect, test } from 'vitest';
import { demultiplexLogs } from './log-frames.ts';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demultiplexLogs', () => {
  test('joins stdout and stderr frames in order', () => {
    const buffer = Buffer.concat([frame(1, 'ready\n'), frame(2, 'warning: x\n'), frame(1, 'done\n')]);
    expect(demultiplexLogs(buffer)).toBe('ready\nwarning: x\ndone\n');
  });

  test('keeps raw text from a TTY container', () => {
    expect(demultiplexLogs(Buffer.from('plain text output\n'))).toBe('plain text output\n');
  });

  test('keeps a truncated last frame rather than dropping it', () => {
    const full = frame(1, 'complete line\n');
    expect(demultiplexLogs(full.subarray(0, full.length - 3))).toBe('complete li');
  });
});
