// A backup artifact as verify reads it: only ever read (never written, moved or touched), its
// sha256, size and age recorded, its compression told by its first bytes, and its bytes given
// again as a decompressing stream for each restore.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import type { ArtifactHead } from '../services/artifact-kits.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface ArtifactFacts {
  path: string;
  shape: 'file' | 'directory';
  compression: Compression;
  bytes: number;
  /** Of the file's bytes; for a directory, of every file's relative path and bytes in name order. */
  sha256: string;
  /** The newest modification among its files, in ms since the epoch. */
  modifiedMs: number;
}

const HEAD_BYTES = 64 * 1024;
const GZIP = Buffer.from([0x1f, 0x8b]);
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** The compression a file's first bytes announce. */
export function compressionOf(first: Buffer): Compression {
  if (first.subarray(0, 2).equals(GZIP)) return 'gzip';
  if (first.subarray(0, 4).equals(ZSTD)) return 'zstd';
  return 'none';
}

/** Every file under a directory, by path relative to it, in name order. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

async function hashFile(path: string, hash = createHash('sha256')): Promise<ReturnType<typeof createHash>> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

/** Reads the artifact once through: what it is, how large and old, its hash. */
export async function describeArtifact(path: string): Promise<ArtifactFacts> {
  const found = await stat(path);
  if (found.isFile()) {
    const first = await readFirst(path, 4);
    return {
      path,
      shape: 'file',
      compression: compressionOf(first),
      bytes: found.size,
      sha256: (await hashFile(path)).digest('hex'),
      modifiedMs: found.mtimeMs,
    };
  }
  const files = await filesUnder(path);
  const hash = createHash('sha256');
  let bytes = 0;
  let modifiedMs = found.mtimeMs;
  for (const file of files) {
    const info = await stat(join(path, file));
    bytes += info.size;
    modifiedMs = Math.max(modifiedMs, info.mtimeMs);
    hash.update(`${file}\0${info.size}\0`);
    await hashFile(join(path, file), hash);
  }
  return { path, shape: 'directory', compression: 'none', bytes, sha256: hash.digest('hex'), modifiedMs };
}

async function readFirst(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A folder's files as one tar stream, paths relative to it; a failed read breaks the stream. */
function folderTar(path: string): Readable {
  const tar = spawn('tar', ['-c', '--numeric-owner', '-C', path, '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  tar.stderr.on('data', (chunk: Buffer) => {
    said += chunk.toString();
  });
  // Through a stream of ours: the child's own pipe, handed on as is, reached docker's exec empty.
  const bytes = new PassThrough();
  tar.stdout.pipe(bytes, { end: false });
  tar.on('close', (code) => (code === 0 ? bytes.end() : bytes.destroy(new Error(`tar of ${path} exited ${code}: ${said.trim()}`))));
  return bytes;
}

/** The artifact's bytes, decompressed (a folder's as a tar of its files): each call a new stream from the start. */
export function artifactStream(facts: Pick<ArtifactFacts, 'path' | 'compression'> & { shape?: ArtifactFacts['shape'] }): Readable {
  if (facts.shape === 'directory') return folderTar(facts.path);
  const file = createReadStream(facts.path);
  if (facts.compression === 'none') return file;
  const decompress = facts.compression === 'gzip' ? createGunzip() : createZstdDecompress();
  // A read error of the file is the stream's error too: the restore must see its input break.
  file.on('error', (error) => decompress.destroy(error));
  return file.pipe(decompress);
}

/** What a format is told by: the first 64 KiB (decompressed), or a directory's names. */
export async function artifactHead(facts: ArtifactFacts): Promise<ArtifactHead> {
  if (facts.shape === 'directory') return { shape: 'directory', names: await filesUnder(facts.path) };
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = artifactStream(facts);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= HEAD_BYTES) break;
    }
  } catch {
    // A damaged stream still has a head to tell its format by; the restore meets the damage.
  } finally {
    stream.destroy();
  }
  return { shape: 'file', bytes: Buffer.concat(chunks).subarray(0, HEAD_BYTES) };
}
