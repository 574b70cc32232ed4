// Benchmark: `persist verify`'s recovery beside the same restore done by hand. A seeded PostgreSQL
// is dumped once with `pg_dump -Fc -Z0` to an archive of about BENCH_VERIFY_MB (default 100) MB;
// then, per trial, the floor is what a person at a terminal would do: a fresh container of the
// image, wait until it answers, `createdb` + `pg_restore --exit-on-error --single-transaction` of
// the archive on standard input, and the same queries verify runs (every table's rows, and the
// expectation). Verify's restore and checks phases are read from its report; its start, its hash,
// its integrity listing and its damaged copy are reported apart, as the issue counts them.
// `npm run bench:verify [-- --images local]` (BENCH_TRIALS, default 3; the image set as for `persist run`). Nothing is asserted.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { HarnessConfig } from '../src/config.ts';
import { RUN_LABEL, newRunId } from '../src/docker/labels.ts';
import { sweepRun } from '../src/docker/run-scope.ts';
import type { VerifyReport } from '../src/report/model.ts';
import { median } from '../src/report/stats.ts';
import { deadlineIn, sleep, stopwatch } from '../src/timing/clock.ts';
import { benchConfig, needImages, runBench } from './bench-kit.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
const MEGABYTES = Number(process.env.BENCH_VERIFY_MB ?? 100);
const ROOT = new URL('../', import.meta.url).pathname;
const runId = newRunId();
const label = `${RUN_LABEL}=${runId}`;
const PSQL = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres'];
const EXPECTATION = 'select count(*) from orders';

async function startServer(image: string): Promise<{ id: string; startMs: number }> {
  const started = stopwatch();
  // Never pulled here: bench-kit's needImages has made sure the image is on this machine.
  const { stdout } = await execa('docker', ['run', '-d', '--pull', 'never', '--label', label, '-e', 'POSTGRES_PASSWORD=bench', image]);
  const id = stdout.trim();
  const deadline = deadlineIn(120_000);
  while ((await execa('docker', ['exec', id, 'pg_isready', '-q', '-h', '127.0.0.1'], { reject: false })).exitCode !== 0) {
    if (deadline.passed()) throw new Error(`${image} did not start`);
    await sleep(100);
  }
  return { id, startMs: started.ms() };
}

/** A seeded server dumped once: rows of about 100 bytes until the uncompressed archive is MEGABYTES large. */
async function makeArtifact(folder: string, image: string): Promise<{ path: string; rows: number }> {
  const rows = Math.round((MEGABYTES * 1024 * 1024) / 139);
  const { id } = await startServer(image);
  await execa('docker', ['exec', id, 'createdb', '-U', 'postgres', 'shop']);
  const seed = `CREATE TABLE orders (id bigint PRIMARY KEY, note text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO orders (id, note) SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) FROM generate_series(1, ${rows}) g;\n`;
  await execa('docker', ['exec', '-i', id, ...PSQL, '-d', 'shop'], { input: seed });
  const path = join(folder, 'shop.dump');
  await execa('sh', ['-c', `docker exec ${id} pg_dump -U postgres -Fc -Z0 shop > ${path}`]);
  await execa('docker', ['rm', '-fv', id]);
  return { path, rows };
}

/** The floor: the same archive restored and checked by hand in a fresh container. */
async function byHand(artifact: string, image: string): Promise<{ restoreMs: number; checksMs: number }> {
  const { id } = await startServer(image);
  try {
    const restoring = stopwatch();
    await execa('docker', ['exec', id, 'createdb', '-U', 'postgres', 'shop']);
    await execa('sh', [
      '-c',
      `docker exec -i ${id} pg_restore --exit-on-error --single-transaction --no-owner --no-privileges -U postgres -d shop < ${artifact}`,
    ]);
    const restoreMs = restoring.ms();
    const checking = stopwatch();
    await execa('docker', ['exec', id, ...PSQL, '-At', '-d', 'postgres', '-c', 'SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate']);
    for (const database of ['postgres', 'shop'])
      await execa('docker', ['exec', '-i', id, ...PSQL, '-At', '-d', database], {
        input: `SELECT format('SELECT count(*) FROM %I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \\gexec\n`,
      });
    await execa('docker', ['exec', id, ...PSQL, '-At', '-d', 'shop', '-c', EXPECTATION]);
    return { restoreMs, checksMs: checking.ms() };
  } finally {
    await execa('docker', ['rm', '-fv', id], { reject: false });
  }
}

/** Verify's own phases for the same archive, from its report. */
async function byVerify(
  artifact: string,
  folder: string,
  rows: number,
  config: HarnessConfig,
): Promise<{ restoreMs: number; checksMs: number; startMs: number }> {
  const expect = join(folder, 'expect.yaml');
  await writeFile(expect, `expect:\n  - sql: ${EXPECTATION}\n    equals: ${rows}\n`);
  const out = join(folder, `verify-${Math.random().toString(36).slice(2)}`);
  const images = config.imageSet === 'local' ? ['--images', 'local'] : [];
  const result = await execa(
    process.execPath,
    ['bin/persist.js', 'verify', ...images, '--from', artifact, '--image', config.images.postgres.reference, '--expect', expect, '--out', out],
    {
      cwd: ROOT,
      reject: false,
      env: { PERSIST_QUIET: '1' },
    },
  );
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as VerifyReport;
  if (result.exitCode !== 0) throw new Error(`persist verify did not verify the archive (exit ${result.exitCode}): ${report.verify?.problems.join(' ')}`);
  const phase = (name: string) => report.verify!.phases.find((p) => p.phase === name)?.ms ?? 0;
  return { restoreMs: phase('restore'), checksMs: phase('checks'), startMs: phase('start') };
}

await runBench('bench:verify', async () => {
  const config = benchConfig();
  await needImages(config, ['postgres']);
  const image = config.images.postgres.reference;
  const folder = await mkdtemp(join(tmpdir(), 'persist-bench-verify-'));
  try {
    const { path, rows } = await makeArtifact(folder, image);
    const bytes = (await stat(path)).size;
    process.stdout.write(`archive: pg_dump -Fc -Z0, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${rows.toLocaleString('en')} rows, into ${image}\n`);
    const hand: Array<{ restoreMs: number; checksMs: number }> = [];
    const persist: Array<{ restoreMs: number; checksMs: number; startMs: number }> = [];
    for (let n = 0; n < TRIALS; n += 1) {
      hand.push(await byHand(path, image));
      persist.push(await byVerify(path, folder, rows, config));
    }
    const line = (name: string, of: Array<{ restoreMs: number; checksMs: number }>) =>
      `  ${name.padEnd(8)} restore ${median(of.map((t) => t.restoreMs))
        .toFixed(0)
        .padStart(6)} ms   checks ${median(of.map((t) => t.checksMs))
        .toFixed(0)
        .padStart(5)} ms   sum ${median(of.map((t) => t.restoreMs + t.checksMs))
        .toFixed(0)
        .padStart(6)} ms`;
    const floor = median(hand.map((t) => t.restoreMs + t.checksMs));
    const measured = median(persist.map((t) => t.restoreMs + t.checksMs));
    process.stdout.write(`${line('by hand', hand)}\n${line('verify', persist)}\n`);
    process.stdout.write(
      `overhead: ${(measured - floor).toFixed(0)} ms, ${(((measured - floor) / floor) * 100).toFixed(1)} % over the floor (median of ${TRIALS} trials; verify's start ${median(persist.map((t) => t.startMs)).toFixed(0)} ms reported apart)\n`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
    await sweepRun(runId);
  }
});
