// Redis's backup files: an RDB snapshot (dump.rdb), and Redis 7's AOF folder (appendonlydir: a
// manifest, a base file and the increments after it), each restored as Redis restores it: placed
// in the data directory of a new server, which loads it at start. Their integrity is
// redis-check-rdb's or redis-check-aof's verdict; what came back is each database's keys.
import { basename, dirname } from 'node:path/posix';
import type { ArtifactHead, ArtifactKit, IntegrityResult, RunInServer, TableCount } from '../artifact-kits.ts';
import { lastLines } from '../../terminal/last-lines.ts';
import type { InventoryObject } from '../../data/inventory.ts';

const RDB_MAGIC = 'REDIS';

const isRdb = (head: ArtifactHead) =>
  head.shape === 'file' && head.bytes.subarray(0, 5).toString('latin1') === RDB_MAGIC && /^\d{4}$/.test(head.bytes.subarray(5, 9).toString('latin1'));

/** An AOF folder's manifest (Redis 7 names it after appendfilename: appendonly.aof.manifest), wherever it sits in the artifact. */
export const aofManifestIn = (names: readonly string[]) =>
  names.find((name) => name.endsWith('.manifest') && names.some((other) => /\.base\.(rdb|aof)$/.test(other)));

/** Where a new server looks for its AOF: the default appenddirname. */
const AOF_FOLDER = 'appendonlydir';

async function setting(run: RunInServer, name: string): Promise<string | undefined> {
  return (await run(['redis-cli', '--raw', 'CONFIG', 'GET', name])).stdout.toString().trim().split('\n')[1];
}

async function checkRdb(run: RunInServer): Promise<IntegrityResult> {
  const result = await run([
    'sh',
    '-c',
    'exec redis-check-rdb "$(redis-cli --raw CONFIG GET dir | tail -1)/$(redis-cli --raw CONFIG GET dbfilename | tail -1)"',
  ]);
  const said = /^.*RDB looks OK.*$/m.exec(result.stdout.toString())?.[0] ?? lastLines(result.stdout.toString(), 2);
  return {
    tool: 'redis-check-rdb',
    passed: result.exitCode === 0 && /RDB looks OK/.test(result.stdout.toString()),
    detail: said || lastLines(result.stderr, 2),
  };
}

async function checkAof(run: RunInServer): Promise<IntegrityResult> {
  const script =
    'cd "$(redis-cli --raw CONFIG GET dir | tail -1)/$(redis-cli --raw CONFIG GET appenddirname | tail -1)" && exec redis-check-aof "$(redis-cli --raw CONFIG GET appendfilename | tail -1).manifest"';
  const result = await run(['sh', '-c', script]);
  const said = lastLines(`${result.stdout.toString()}\n${result.stderr}`, 1);
  return { tool: 'redis-check-aof', passed: result.exitCode === 0 && /is valid/i.test(result.stdout.toString()), detail: said };
}

/** INFO keyspace's lines ("db0:keys=3,expires=0,avg_ttl=0") as each database's key count. */
export function keyspace(info: string): TableCount[] {
  return [...info.matchAll(/^(db\d+):keys=(\d+)/gm)].map((m) => ({ database: m[1]!, table: 'keys', rows: Number(m[2]) }));
}

/**
 * Every key's type counted, in one database, by a script in the server: SCAN walks the keys
 * without blocking it as KEYS would, TYPE names each. Replies `type=count` lines.
 */
const KEY_TYPES_SCRIPT = `local counts, cursor = {}, '0'
repeat
  local page = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local kind = redis.call('TYPE', key)['ok']
    counts[kind] = (counts[kind] or 0) + 1
  end
until cursor == '0'
local out = {}
for kind, n in pairs(counts) do out[#out + 1] = kind .. '=' .. n end
return out`;

async function cli(run: RunInServer, args: string[]) {
  return run(['redis-cli', '--no-raw', ...args]);
}

export const artifactKit: ArtifactKit = {
  formats: [
    { id: 'redis-rdb', title: 'a Redis RDB snapshot (dump.rdb)', recognise: isRdb, placeAs: 'dump.rdb' },
    {
      id: 'redis-aof',
      title: 'a Redis AOF folder (appendonlydir, with its manifest)',
      recognise: (head) => head.shape === 'directory' && aofManifestIn(head.names) !== undefined,
      fillsDataDirectory: true,
      startCommand: ['redis-server', '--appendonly', 'yes'],
    },
  ],

  throwawayEnvironment: () => ({}),

  // Redis answers LOADING while it reads a large snapshot: ready is PONG.
  readyCommand: ['sh', '-c', '[ "$(redis-cli ping 2>/dev/null)" = PONG ]'],

  async serverVersion(run) {
    const info = (await run(['redis-cli', 'INFO', 'server'])).stdout.toString();
    return /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
  },

  integrity: async (run, format) => [format === 'redis-aof' ? await checkAof(run) : await checkRdb(run)],

  // The AOF folder's files, as they are, where a new server with appendonly yes looks for them.
  async fill(_format, filler) {
    const folder = dirname(aofManifestIn(filler.names)!);
    const files = filler.names.filter((name) => dirname(name) === folder);
    const steps = [];
    for (const name of files) steps.push(await filler.place(name, `${AOF_FOLDER}/${basename(name)}`));
    return { steps };
  },

  async whyEmpty(run, format) {
    const appendonly = await setting(run, 'appendonly');
    // An AOF is only read by a server with appendonly yes, under its appenddirname and appendfilename.
    if (format === 'redis-aof') {
      if (appendonly !== 'yes')
        return 'the server runs with appendonly no: it never reads an AOF folder and starts from dump.rdb alone; restore the AOF into a server started with appendonly yes';
      const [folder, file] = [await setting(run, 'appenddirname'), await setting(run, 'appendfilename')];
      return folder !== AOF_FOLDER || file !== 'appendonly.aof'
        ? `the server looks for its AOF as ${folder}/${file}.manifest, and persist placed the folder as ${AOF_FOLDER}/ with its own manifest's name`
        : undefined;
    }
    // Redis 7 with appendonly yes and no AOF yet starts empty and writes a new AOF: the dump.rdb beside it is never read.
    return appendonly === 'yes'
      ? 'the server runs with appendonly yes, and with no AOF in its data directory Redis ignores dump.rdb and starts empty: restore the RDB with appendonly no, then switch it on with CONFIG SET appendonly yes (which writes the AOF from the loaded data)'
      : undefined;
  },

  async restore() {
    // Redis restores an RDB by loading it at start: placing the file was the restore.
    return { steps: [], integrity: [] };
  },

  // Key spaces and the types of their keys: what Redis has in place of a catalogue.
  async inventory(run) {
    const objects: InventoryObject[] = [];
    for (const { database } of await this.tables(run)) {
      const result = await run(['redis-cli', '--raw', '-n', database.replace(/^db/, ''), 'EVAL', KEY_TYPES_SCRIPT, '0']);
      if (result.exitCode !== 0) throw new Error(`counting the key types of ${database} failed: ${lastLines(result.stderr, 2)}`);
      for (const line of result.stdout
        .toString()
        .split('\n')
        .filter((l) => l.includes('='))) {
        const [type, count] = line.trim().split('=');
        objects.push({ kind: 'key-type', database, name: type!, count: Number(count) });
      }
    }
    objects.sort((a, b) => a.database.localeCompare(b.database) || a.name.localeCompare(b.name));
    return { engine: 'redis', objects, sequences: [], roles: [], rolesNote: null };
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
