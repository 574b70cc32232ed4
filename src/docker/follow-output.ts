// A container's output line by line as it is printed, each line stamped with the moment the
// harness received it (its own monotonic clock). Attached before the container starts, so no
// line is missed; the engine's own log timestamps are another clock and are not used.
import { PassThrough } from 'node:stream';
import { docker } from './engine.ts';
import { harnessNowMs } from '../timing/clock.ts';

export interface FollowedLine {
  text: string;
  /** When the harness received it: harnessNowMs. */
  atMs: number;
}

export interface FollowedOutput {
  lines: FollowedLine[];
  /** Resolves once the container's output has ended (it exited or was removed). */
  ended: Promise<void>;
}

/** Attaches to a created container's stdout and stderr; call before starting it. */
export async function followOutput(id: string): Promise<FollowedOutput> {
  const stream = await docker().getContainer(id).attach({ stream: true, stdout: true, stderr: true });
  const lines: FollowedLine[] = [];
  const text = new PassThrough();
  docker().modem.demuxStream(stream, text, text);
  let partial = '';
  text.on('data', (chunk: Buffer) => {
    const atMs = harnessNowMs();
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ text: line, atMs });
  });
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  return { lines, ended };
}
