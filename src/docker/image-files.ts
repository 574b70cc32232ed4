// A file of an image read without running it: a container is created (never started), the file
// is copied out of it through the engine's archive API, and the container is removed. What an
// entrypoint script does is a fact of the image that its configuration alone does not say.
import { posix } from 'node:path';
import { extract } from 'tar-stream';
import { docker } from './engine.ts';

/** How many symbolic links are followed before a file is taken as unreadable. */
const MAX_LINKS = 8;

/** The first of `candidates` the image has, as text, with the path it was found at; undefined when none is there. */
export async function readImageFile(
  image: string,
  candidates: readonly string[],
  labels: Record<string, string>,
): Promise<{ path: string; text: string } | undefined> {
  // An entrypoint of '' keeps the image's own from mattering: the container is never started anyway.
  const container = await docker().createContainer({ Image: image, Entrypoint: [''], Cmd: ['true'], Labels: labels });
  try {
    for (const candidate of candidates) {
      const text = await fileOf(container, candidate, MAX_LINKS);
      if (text !== undefined) return { path: candidate, text };
    }
    return undefined;
  } finally {
    await container.remove({ force: true, v: true });
  }
}

type Container = ReturnType<ReturnType<typeof docker>['getContainer']>;

async function fileOf(container: Container, path: string, linksLeft: number): Promise<string | undefined> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch {
    return undefined;
  }
  const entry = await firstEntry(archive);
  if (entry?.type === 'symlink' && linksLeft > 0) return fileOf(container, posix.resolve(posix.dirname(path), entry.linkname), linksLeft - 1);
  return entry?.type === 'file' ? entry.content.toString('utf8') : undefined;
}

/** The archive's first entry: the file asked for (the engine puts it first, named by its base name). */
function firstEntry(archive: NodeJS.ReadableStream): Promise<{ type: string; linkname: string; content: Buffer } | undefined> {
  return new Promise((resolve, reject) => {
    const reader = extract();
    let found: { type: string; linkname: string; content: Buffer } | undefined;
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        if (!found) chunks.push(Buffer.from(chunk as Uint8Array));
      });
      stream.on('end', () => {
        found ??= { type: header.type, linkname: header.linkname ?? '', content: Buffer.concat(chunks) };
        next();
      });
      stream.resume();
    });
    reader.on('finish', () => resolve(found));
    reader.on('error', reject);
    archive.pipe(reader as unknown as NodeJS.WritableStream);
  });
}
