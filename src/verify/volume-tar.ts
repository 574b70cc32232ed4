// A volume's tar, as the seed's helper container makes it (`docker run --rm -v vol:/data … tar
// czf /backup/x.tar.gz /data`), restored the seed's way: extracted into a new volume by a
// helper container, the leading folder stripped, then the service started on it. Any service's
// data can come this way, so the format is verify's own, not a service's.
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { removeContainer } from '../docker/containers.ts';
import { docker } from '../docker/engine.ts';
import { execIn } from '../docker/exec.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { ArtifactFormat, ArtifactHead, RestoreStep } from '../services/artifact-kits.ts';
import { restoreStep } from '../services/restore-step.ts';
import type { ExpectationResult } from './expectations.ts';

export const VOLUME_TAR: ArtifactFormat = {
  id: 'volume-tar',
  title: "a volume's tar (the helper-container tar)",
  // POSIX and GNU tars carry "ustar" at byte 257 of every header.
  recognise: (head: ArtifactHead) => head.shape === 'file' && head.bytes.subarray(257, 262).toString('latin1') === 'ustar',
};

const VOLUME_AT = '/volume';

/** Every entry's name in a tar stream (read to its end: a damaged stream throws). */
export async function tarEntries(stream: Readable): Promise<string[]> {
  const names: string[] = [];
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, body, next) => {
      names.push(header.name);
      body.on('end', next);
      // A tar cut inside an entry breaks that entry's stream, not only the reader's.
      body.on('error', reject);
      body.resume();
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(reader);
  await done;
  return names;
}

/**
 * How many leading folders to strip so the data lands at the volume's root: a tar of the mounted
 * path (`tar czf … /data`: entries data/…) loses that one folder, as the seed's `--strip 1`; a tar
 * of the data path itself (var/lib/postgresql/data/…) loses all of it; a tar made with `-C /data .` none.
 */
export function componentsToStrip(entries: readonly string[], dataPath: string): number {
  const paths = entries.map((name) => name.replace(/^\.\//, '').replace(/\/$/, '')).filter((name) => name !== '' && name !== '.');
  if (paths.length === 0) return 0;
  const dataParts = dataPath.split('/').filter(Boolean);
  if (paths.every((path) => path === dataParts.join('/') || path.startsWith(`${dataParts.join('/')}/`))) return dataParts.length;
  const first = paths[0]!.split('/')[0]!;
  const oneFolder = paths.every((path) => path === first || path.startsWith(`${first}/`));
  // One folder holding everything, and more than one thing in it: the helper's mount point.
  return oneFolder && paths.some((path) => path.includes('/')) ? 1 : 0;
}

export interface VolumeHelper {
  run(command: string[], stdin?: Readable): ReturnType<typeof execIn>;
  remove(): Promise<void>;
}

/** A helper container with the new volume mounted, to extract into and look through. */
export async function volumeHelper(scope: RunScope, image: string, volume: string): Promise<VolumeHelper> {
  const container = await docker().createContainer({
    Image: image,
    Cmd: ['sh', '-c', 'sleep 3600'],
    Labels: scope.labels('verify-volume'),
    HostConfig: { Binds: [`${volume}:${VOLUME_AT}`] },
  });
  scope.trackContainer(container.id);
  await container.start();
  return {
    run: (command, stdin) => execIn(container.id, command, stdin ? { stdin } : {}),
    remove: () => removeContainer(container.id),
  };
}

/** Extracts the tar into the helper's volume, owners and modes kept (tar runs as root). */
export async function extractTar(helper: VolumeHelper, stream: Readable, strip: number, below?: string): Promise<RestoreStep> {
  const into = below ? `${VOLUME_AT}/${below}` : VOLUME_AT;
  const command = `tar -x -p --numeric-owner -C ${into}${strip > 0 ? ` --strip-components ${strip}` : ''}`;
  const result = await helper.run(['sh', '-c', `mkdir -p ${into} && exec ${command}`], stream);
  return restoreStep(command, result);
}

/** Writes the artifact's bytes as one file at a path in the volume (Redis's dump.rdb at its root), its folders made. */
export async function placeFile(helper: VolumeHelper, stream: Readable, name: string): Promise<RestoreStep> {
  const command = `cat > ${VOLUME_AT}/${name}`;
  const result = await helper.run(['sh', '-c', 'mkdir -p "$(dirname "$1")" && exec cat > "$1"', 'sh', `${VOLUME_AT}/${name}`], stream);
  return restoreStep(command, result);
}

/** How many files the volume holds, and their bytes. */
export async function filesInVolume(helper: VolumeHelper): Promise<{ count: number; bytes: number }> {
  const result = await helper.run(['sh', '-c', `find ${VOLUME_AT} -type f | wc -l; du -sk ${VOLUME_AT} | cut -f1`]);
  const [count, kib] = result.stdout.toString().trim().split('\n');
  return { count: Number(count), bytes: Number(kib) * 1024 };
}

/** A file expectation: the path exists in the restored data and, for a folder, is not empty. */
export async function judgeFile(helper: VolumeHelper, path: string): Promise<ExpectationResult> {
  const target = `${VOLUME_AT}/${path.replace(/^\/+/, '')}`;
  const script =
    'if [ -d "$1" ]; then n=$(ls -A "$1" | wc -l); echo "a folder of $n entries"; [ "$n" -gt 0 ]; elif [ -f "$1" ]; then echo "a file of $(wc -c < "$1") bytes"; else echo "absent"; exit 1; fi';
  const result = await helper.run(['sh', '-c', script, 'sh', target]);
  return { expectation: `${path} exists (a folder: not empty)`, observed: result.stdout.toString().trim() || 'absent', passed: result.exitCode === 0 };
}
