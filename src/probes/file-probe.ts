// For any service: a file of known content in each data path, read back by sha256 inside the
// container. Nothing about the service needs to be known but where its data lives.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Fingerprint } from '../data/fingerprint.ts';
import { execIn } from '../docker/exec.ts';
import { HarnessError } from '../errors.ts';
import type { Stack } from '../stack/stack.ts';
import { ABSENT, type Probe, untilRunning } from './probe.ts';

const FILE_NAME = '.persist-probe';

/** The probe's file in a data path: the key of that path in the probe's fingerprints. */
export function probeFileIn(path: string): string {
  return posix.join(path, FILE_NAME);
}
const READY_TIMEOUT_MS = 30_000;

export class FileProbe implements Probe {
  readonly service: string;
  readonly describes: string;
  private readonly paths: string[];
  private readonly content: Buffer;

  /** `bytes` of content, the same for every path; a seed makes it differ from run to run. */
  constructor(service: string, paths: string[], bytes = 64 * 1024, seed: Buffer = randomBytes(16)) {
    this.service = service;
    this.paths = paths;
    this.content = deterministicBytes(seed, bytes);
    this.describes = `a file of ${bytes} bytes in ${paths.join(', ')}`;
  }

  /** The container runs; one that has exited did not come back, which is a finding. */
  async ready(stack: Stack): Promise<void> {
    await untilRunning(stack, this.service, READY_TIMEOUT_MS);
  }

  async seed(stack: Stack): Promise<Fingerprint> {
    const id = stack.containerId(this.service);
    for (const path of this.paths) {
      const file = probeFileIn(path);
      const written = await execIn(id, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1" && sync "$1"', 'sh', file], { stdin: this.content });
      if (written.exitCode !== 0)
        throw new HarnessError(`Writing ${file} in ${this.service} failed: ${written.stderr.trim()}.`, 'Check that the path is writable in the container.');
    }
    const seen = await this.fingerprint(stack);
    const missing = Object.entries(seen).filter(([, f]) => !f.present || f.contentHash !== sha256(this.content));
    if (missing.length > 0)
      throw new HarnessError(`The probe file did not read back in ${missing.map(([name]) => name).join(', ')}.`, 'Check the path in the container.');
    return seen;
  }

  async fingerprint(stack: Stack): Promise<Fingerprint> {
    const id = stack.containerId(this.service);
    const running = (await stack.inspect(this.service)).running;
    const fingerprint: Fingerprint = {};
    for (const path of this.paths) {
      const file = probeFileIn(path);
      // A container that did not come back holds nothing anyone can read.
      const read = running ? await execIn(id, ['cat', file]) : { exitCode: 1, stdout: Buffer.alloc(0) };
      fingerprint[file] = read.exitCode === 0 ? { present: true, rows: read.stdout.length, contentHash: sha256(read.stdout) } : ABSENT;
    }
    return fingerprint;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes from a seed: sha256 in counter mode, so the content is known without storing it. */
function deterministicBytes(seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(seed).update(String(i)).digest());
  return Buffer.concat(blocks).subarray(0, length);
}
