// Every backup the harness makes gets a manifest next to it: size, sha256 and a listing of
// what it holds. A restore checks the backup against its manifest first, so a truncated or
// corrupted archive is refused before anything is written, with one sentence saying why.
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { wallClock } from '../timing/clock.ts';

export const MANIFEST_SUFFIX = '.manifest.json';

export interface Manifest {
  manifestVersion: 1;
  /** File name of the backup, next to this manifest. */
  backup: string;
  bytes: number;
  sha256: string;
  createdAt: string;
  method: string;
  /** What was backed up: a volume name, or a database. */
  source: string;
  /** Paths in an archive, tables in a dump. */
  entries: string[];
}

/** A backup that does not match its manifest: a finding about the backup, not a harness error. */
export class CorruptBackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptBackupError';
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function writeManifest(path: string, facts: Pick<Manifest, 'method' | 'source' | 'entries'>): Promise<Manifest> {
  const manifest: Manifest = {
    manifestVersion: 1,
    backup: basename(path),
    bytes: (await stat(path)).size,
    sha256: await sha256OfFile(path),
    createdAt: wallClock().toISOString(),
    ...facts,
  };
  await writeFile(`${path}${MANIFEST_SUFFIX}`, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Resolves with the manifest when the backup matches it; throws CorruptBackupError otherwise. */
export async function verifyBackup(path: string): Promise<Manifest> {
  const name = basename(path);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(`${path}${MANIFEST_SUFFIX}`, 'utf8')) as Manifest;
  } catch {
    throw new CorruptBackupError(
      `The backup ${name} has no readable manifest (${name}${MANIFEST_SUFFIX}), so its integrity cannot be checked; restore from a backup that has one.`,
    );
  }
  const size = await stat(path)
    .then((s) => s.size)
    .catch(() => null);
  if (size === null) throw new CorruptBackupError(`The backup ${name} is missing; restore from another backup.`);
  if (size !== manifest.bytes) {
    throw new CorruptBackupError(
      `The backup ${name} is corrupt: it has ${size} bytes, its manifest recorded ${manifest.bytes}${size < manifest.bytes ? ' (truncated)' : ''}; restore from another backup.`,
    );
  }
  const actual = await sha256OfFile(path);
  if (actual !== manifest.sha256) {
    throw new CorruptBackupError(
      `The backup ${name} is corrupt: its sha256 is ${actual.slice(0, 16)}…, its manifest recorded ${manifest.sha256.slice(0, 16)}…; restore from another backup.`,
    );
  }
  return manifest;
}
