// Benchmark: `persist audit` on a 20-service Compose project, end to end as a user runs it (the
// CLI starting, Compose reading the project, the engine inspecting every image). Prints median,
// min and max of 5 runs after one warm-up run; `npm run bench:audit [-- --images local]`. With `--registry`, the
// images are in a registry on loopback instead (Debian's docker-registry, the images pushed with
// skopeo under references this machine has no image for), so every image is read from there.
// Warm means: the validators compiled into node_modules/.cache/persistence-harness, the registry's
// image configurations cached by digest (the HEAD for each digest is still asked every run), and
// the files in the OS page cache. Not a test: nothing here is asserted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { stopwatch } from '../src/timing/clock.ts';
import { startLocalRegistry } from '../test/stack/local-registry.ts';
import { benchConfig, needImages, runBench } from './bench-kit.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const RUNS = 5;
const KINDS = [
  ['POSTGRES_IMAGE:-postgres:17', '/var/lib/postgresql/data'],
  ['MYSQL_IMAGE:-mysql:8.4', '/var/lib/mysql'],
  ['REDIS_IMAGE:-redis:7', '/data'],
  ['WORDPRESS_IMAGE:-wordpress:6', '/var/www/html'],
  ['APP_IMAGE:-alpine:3.20', '/srv/app'],
] as const;

function project(services: number, registry?: string): string {
  const lines = ['services:'];
  const volumes = ['volumes:'];
  for (let n = 0; n < services; n += 1) {
    const [image, path] = KINDS[n % KINDS.length]!;
    const reference = registry ? `${registry}/bench/${image.split(':-')[1]}` : `\${${image}}`;
    lines.push(`  s${n}:`, `    image: ${reference}`, '    volumes:', `      - v${n}:${path}`, `      - ./conf/s${n}:/etc/s${n}:ro`, '    tmpfs: [/run/cache]');
    volumes.push(`  v${n}:`);
  }
  return [...lines, ...volumes, 'x-persist:', '  services:', '    s4:', '      data: [/srv/app/uploads]', ''].join('\n');
}

await runBench('bench:audit', async () => {
  const config = benchConfig();
  const viaRegistry = process.argv.includes('--registry');
  const folder = await mkdtemp(join(tmpdir(), 'persist-bench-'));
  const registry = viaRegistry ? await startLocalRegistry() : undefined;
  try {
    if (registry) {
      await needImages(config, ['postgres', 'mysql', 'redis', 'wordpress', 'toolbox']);
      const local: Record<string, string> = {
        POSTGRES_IMAGE: config.images.postgres.reference,
        MYSQL_IMAGE: config.images.mysql.reference,
        REDIS_IMAGE: config.images.redis.reference,
        WORDPRESS_IMAGE: config.images.wordpress.reference,
        APP_IMAGE: config.images.toolbox.reference,
      };
      for (const [image] of KINDS) await registry.push(local[image.split(':-')[0]!]!, `bench/${image.split(':-')[1]}`);
    }
    const file = join(folder, 'compose.yaml');
    await writeFile(file, project(20, registry?.host));
    const images = !registry && config.imageSet === 'local' ? ['--env-file', join(ROOT, 'examples/compose/stand-ins.env')] : [];
    const seconds: number[] = [];
    // One warm-up run fills the caches the others use.
    for (let run = -1; run < RUNS; run += 1) {
      const watch = stopwatch();
      const result = await execa(process.execPath, ['bin/persist.js', 'audit', '-f', file, ...images, '--out', join(folder, `report-${run}`)], {
        cwd: ROOT,
        reject: false,
      });
      if (result.exitCode === 2) throw new Error(result.stderr.trim() || `persist audit exited with 2`);
      if (registry && !result.stdout.includes('from its registry')) throw new Error(`the images were not read from the registry:\n${result.stdout}`);
      if (run >= 0) seconds.push(watch.ms() / 1000);
    }
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    process.stdout.write(
      `persist audit, 20 services${registry ? ' read from a registry on loopback' : ' on this machine'}, ${RUNS} warm runs: median ${median.toFixed(2)} s, min ${sorted[0]!.toFixed(2)} s, max ${sorted.at(-1)!.toFixed(2)} s (whole command, CLI start included)\n`,
    );
  } finally {
    await registry?.stop();
    await rm(folder, { recursive: true, force: true });
  }
});
