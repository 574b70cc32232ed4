// Benchmark: `persist audit` on a 20-service Compose project, end to end as a user runs it (the
// CLI starting, Compose reading the project twice, the engine inspecting every image). Prints
// median, min and max of 5 runs; `npm run bench:audit`. Not a test: nothing here is asserted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../src/config.ts';
import { stopwatch } from '../src/timing/clock.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const RUNS = 5;
const KINDS = [
  ['POSTGRES_IMAGE:-postgres:17', '/var/lib/postgresql/data'],
  ['MYSQL_IMAGE:-mysql:8.4', '/var/lib/mysql'],
  ['REDIS_IMAGE:-redis:7', '/data'],
  ['WORDPRESS_IMAGE:-wordpress:6', '/var/www/html'],
  ['APP_IMAGE:-alpine:3.20', '/srv/app'],
] as const;

function project(services: number): string {
  const lines = ['services:'];
  const volumes = ['volumes:'];
  for (let n = 0; n < services; n += 1) {
    const [image, path] = KINDS[n % KINDS.length]!;
    lines.push(`  s${n}:`, `    image: \${${image}}`, '    volumes:', `      - v${n}:${path}`, `      - ./conf/s${n}:/etc/s${n}:ro`, '    tmpfs: [/run/cache]');
    volumes.push(`  v${n}:`);
  }
  return [...lines, ...volumes, 'x-persist:', '  services:', '    s4:', '      data: [/srv/app/uploads]', ''].join('\n');
}

const folder = await mkdtemp(join(tmpdir(), 'persist-bench-'));
try {
  const file = join(folder, 'compose.yaml');
  await writeFile(file, project(20));
  const images = loadConfig().imageSet === 'local' ? ['--env-file', join(ROOT, 'examples/compose/stand-ins.env')] : [];
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const watch = stopwatch();
    const result = await execa(process.execPath, ['bin/persist.js', 'audit', '-f', file, ...images, '--out', join(folder, `report-${run}`)], {
      cwd: ROOT,
      reject: false,
    });
    if (result.exitCode === 2) throw new Error(result.stderr);
    seconds.push(watch.ms() / 1000);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  process.stdout.write(
    `persist audit, 20 services, ${RUNS} runs: median ${median.toFixed(2)} s, min ${sorted[0]!.toFixed(2)} s, max ${sorted.at(-1)!.toFixed(2)} s (whole command, CLI start included)\n`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
