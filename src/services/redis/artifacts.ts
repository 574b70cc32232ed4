// Redis's backup files: an RDB snapshot (dump.rdb), restored as Redis restores one: placed in the
// data directory of a new server, which loads it at start. Its integrity is redis-check-rdb's
// verdict; what came back is each database's keys.
import type { ArtifactHead, ArtifactKit, RunInServer, TableCount } from '../artifact-kits.ts';
import { lastLines } from '../../terminal/last-lines.ts';

const RDB_MAGIC = 'REDIS';

const isRdb = (head: ArtifactHead) =>
  head.shape === 'file' && head.bytes.subarray(0, 5).toString('latin1') === RDB_MAGIC && /^\d{4}$/.test(head.bytes.subarray(5, 9).toString('latin1'));

/** INFO keyspace's lines ("db0:keys=3,expires=0,avg_ttl=0") as each database's key count. */
export function keyspace(info: string): TableCount[] {
  return [...info.matchAll(/^(db\d+):keys=(\d+)/gm)].map((m) => ({ database: m[1]!, table: 'keys', rows: Number(m[2]) }));
}

async function cli(run: RunInServer, args: string[]) {
  return run(['redis-cli', '--no-raw', ...args]);
}

export const artifactKit: ArtifactKit = {
  formats: [{ id: 'redis-rdb', title: 'a Redis RDB snapshot (dump.rdb)', recognise: isRdb, placeAs: 'dump.rdb' }],

  throwawayEnvironment: () => ({}),

  // Redis answers LOADING while it reads a large snapshot: ready is PONG.
  readyCommand: ['sh', '-c', '[ "$(redis-cli ping 2>/dev/null)" = PONG ]'],

  async serverVersion(run) {
    const info = (await run(['redis-cli', 'INFO', 'server'])).stdout.toString();
    return /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
  },

  async integrity(run) {
    const result = await run([
      'sh',
      '-c',
      'exec redis-check-rdb "$(redis-cli --raw CONFIG GET dir | tail -1)/$(redis-cli --raw CONFIG GET dbfilename | tail -1)"',
    ]);
    const said = /^.*RDB looks OK.*$/m.exec(result.stdout.toString())?.[0] ?? lastLines(result.stdout.toString(), 2);
    return [
      { tool: 'redis-check-rdb', passed: result.exitCode === 0 && /RDB looks OK/.test(result.stdout.toString()), detail: said || lastLines(result.stderr, 2) },
    ];
  },

  // Redis 7 with appendonly yes and no AOF yet starts empty and writes a new AOF: the dump.rdb beside it is never read.
  async whyEmpty(run) {
    const appendonly = (await run(['redis-cli', '--raw', 'CONFIG', 'GET', 'appendonly'])).stdout.toString().trim().split('\n')[1];
    return appendonly === 'yes'
      ? 'the server runs with appendonly yes, and with no AOF in its data directory Redis ignores dump.rdb and starts empty: restore the RDB with appendonly no, then switch it on with CONFIG SET appendonly yes (which writes the AOF from the loaded data)'
      : undefined;
  },

  async restore() {
    // Redis restores an RDB by loading it at start: placing the file was the restore.
    return { steps: [], integrity: [] };
  },

  async tables(run) {
    const result = await run(['redis-cli', 'INFO', 'keyspace']);
    if (result.exitCode !== 0) throw new Error(lastLines(result.stderr, 2));
    return keyspace(result.stdout.toString());
  },

  async value(run, query, database) {
    const db = database === undefined ? '0' : database.replace(/^db/, '');
    const result = await cli(run, ['-n', db, ...query.trim().split(/\s+/)]);
    const text = result.stdout.toString().trim();
    if (result.exitCode !== 0 || text.startsWith('(error)')) throw new Error(text || lastLines(result.stderr, 2));
    if (text === '(nil)' || text === '(empty array)') return undefined;
    return text.replace(/^\(integer\) /, '').replace(/^"(.*)"$/, '$1');
  },
};
