import { describe, expect, it } from 'vitest';
import { backupEndTime, binlogCommits, binlogPosition, binlogRun, binlogStop, binlogWindow, lastBinlogCommitBy } from './binlog-archive.ts';

// As mariadb-binlog printed them here (TZ=UTC) from a 10.11 server run with --log-bin=mysql-bin.
const OUTPUT = [
  '#261208  0:46:15 server id 1  end_log_pos 384 CRC32 0x1be795be \tGTID 0-1-7085 ddl',
  '#261208  0:46:15 server id 1  end_log_pos 2521 CRC32 0xab8e4a98 \tXid = 4',
  '#261208  0:46:19 server id 1  end_log_pos 2563 CRC32 0x0cd390df \tGTID 0-1-7087 trans',
  '#261208  0:46:19 server id 1  end_log_pos 3605 CRC32 0x1bc29042 \tXid = 92',
  '#261208  0:46:19 server id 1  end_log_pos 3652 CRC32 0xe3813b42 \tRotate to mysql-bin.000003  pos: 4',
].join('\n');

describe('binary logs beside a mariadb-backup', () => {
  it('reads the position the backup recorded, its end, and the commits mariadb-binlog prints', () => {
    expect(binlogPosition('mysql-bin.000002\t2521\t0-1-7086\n')).toEqual({ file: 'mysql-bin.000002', position: 2521 });
    expect(binlogPosition('')).toBeUndefined();
    expect(backupEndTime('start_time = 2026-12-08 00:46:17\nend_time = 2026-12-08 00:46:17\n')?.toISOString()).toBe('2026-12-08T00:46:17.000Z');
    expect(binlogCommits(OUTPUT).map((at) => at.toISOString())).toEqual(['2026-12-08T00:46:15.000Z', '2026-12-08T00:46:15.000Z', '2026-12-08T00:46:19.000Z']);
  });

  it('replays from the backup’s file without a break; the first file missing ends the window there', () => {
    const files = ['mysql-bin.000001', 'mysql-bin.000002', 'mysql-bin.000003', 'mysql-bin.000005', 'mysql-bin.index'];
    const run = binlogRun(files, 'mysql-bin.000002')!;
    expect(run).toEqual({ files: ['mysql-bin.000002', 'mysql-bin.000003'], gap: { missing: 'mysql-bin.000004', resumesAt: 'mysql-bin.000005' } });
    expect(binlogRun(files.slice(2), 'mysql-bin.000002')).toBeUndefined();
    const window = binlogWindow(run, new Date('2026-12-08T00:46:17Z'), [new Date('2026-12-08T00:46:19Z')], [new Date('2026-12-08T00:46:21Z')]);
    expect(window).toMatchObject({
      base: 'mysql-bin.000002',
      segments: 2,
      end: '2026-12-08T00:46:19.000Z',
      gaps: [{ missing: 'mysql-bin.000004', unreachableCommits: 1 }],
    });
  });

  it('a time is taken down to its second, and the replay must reach the last commit of a second before it', () => {
    const commits = ['00:46:15', '00:46:19', '00:46:21'].map((t) => new Date(`2026-12-08T${t}Z`));
    expect(binlogStop(new Date('2026-12-08T00:46:19.700Z')).toISOString()).toBe('2026-12-08T00:46:19.000Z');
    expect(lastBinlogCommitBy(new Date('2026-12-08T00:46:19.700Z'), commits)?.toISOString()).toBe('2026-12-08T00:46:15.000Z');
    expect(lastBinlogCommitBy(new Date('2026-12-08T00:46:20.100Z'), commits)?.toISOString()).toBe('2026-12-08T00:46:19.000Z');
    expect(lastBinlogCommitBy(new Date('2026-12-08T00:46:10Z'), commits)).toBeNull();
  });
});
