// `docker exec` through the engine API: a command in a running container, its exit code and its
// output kept apart, optionally with bytes on its standard input. Probes read and write a
// service's data this way without a client library for it.
import { Readable } from 'node:stream';
import { docker } from './engine.ts';
import { demultiplexStreams } from './log-frames.ts';

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
  /** What broke the stream fed to standard input (a corrupt compressed artifact): the command saw its input end early. */
  inputError?: Error;
}

export interface ExecOptions {
  /** Bytes, or a stream read to its end (a backup artifact too large to hold). */
  stdin?: Buffer | Readable;
  user?: string;
  /** Added to the container's own environment for this command. */
  env?: Record<string, string>;
}

export async function execIn(containerId: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const env = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
  const exec = await docker()
    .getContainer(containerId)
    .exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: options.stdin !== undefined,
      ...(options.user ? { User: options.user } : {}),
      ...(env.length > 0 ? { Env: env } : {}),
    });
  const stream = await exec.start({ hijack: options.stdin !== undefined, stdin: options.stdin !== undefined });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  let inputError: Error | undefined;
  if (options.stdin instanceof Readable) {
    // A broken input must still end the command's standard input, or the command waits forever.
    options.stdin.on('error', (error: Error) => {
      inputError = error;
      stream.end();
    });
    options.stdin.pipe(stream);
  } else if (options.stdin !== undefined) stream.end(options.stdin);
  await done;
  const { stdout, stderr } = demultiplexStreams(Buffer.concat(chunks));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stdout, stderr: stderr.toString('utf8'), ...(inputError ? { inputError } : {}) };
}
