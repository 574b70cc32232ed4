import { describe, expect, it } from 'vitest';
import { backupInfos, barmanRestoreCommand, barmanSegments, isBarmanServer, newestDone, parseBackupInfo, unreadCompressions } from './barman.ts';

// As Barman 3.4 wrote it here for a PostgreSQL 15 server (backup_method postgres).
const INFO = `backup_label='START WAL LOCATION: 0/3000028 (file 000000010000000000000003)\\nSTART TIMELINE: 1\\n'
begin_offset=40
begin_time=2026-12-08 03:28:04.471930+00:00
begin_wal=000000010000000000000003
begin_xlog=0/3000028
compression=None
end_time=2026-12-08 03:28:05.766498+00:00
end_wal=000000010000000000000003
end_xlog=0/4000000
error=None
mode=postgres
status=DONE
timeline=1
version=150018
`;

const SERVER = [
  'base/20261208T032804/backup.info',
  'base/20261208T032804/data/PG_VERSION',
  'base/20261208T040000/backup.info',
  'wals/xlog.db',
  'wals/00000002.history',
  'wals/0000000100000000/000000010000000000000003',
  'wals/0000000100000000/000000010000000000000003.00000028.backup',
  'wals/0000000100000000/000000010000000000000004',
  'incoming/000000010000000000000005',
];

describe('a Barman server folder', () => {
  it('is told by its backups’ backup.info files', () => {
    expect(isBarmanServer(SERVER)).toBe(true);
    expect(isBarmanServer(['backup_label', 'PG_VERSION'])).toBe(false);
    expect(backupInfos(SERVER).map((info) => info.id)).toEqual(['20261208T032804', '20261208T040000']);
  });

  it('reads where a backup’s WAL starts and stops, and takes the newest that finished', () => {
    const done = parseBackupInfo('20261208T032804', INFO);
    expect(done).toEqual({
      id: '20261208T032804',
      status: 'DONE',
      timeline: 1,
      beginLsn: '0/3000028',
      endLsn: '0/4000000',
      beginWal: '000000010000000000000003',
      endTime: new Date('2026-12-08T03:28:05.766Z'),
    });
    const failed = parseBackupInfo('20261208T040000', INFO.replace('status=DONE', 'status=FAILED'));
    expect(newestDone([done, failed])).toBe(done);
    expect(newestDone([failed])).toBeUndefined();
  });

  it('takes the segments from wals/ only (incoming/ is not archived yet), under their own names', () => {
    expect(barmanSegments(SERVER)).toEqual([
      { name: '000000010000000000000003', file: 'wals/0000000100000000/000000010000000000000003' },
      { name: '000000010000000000000004', file: 'wals/0000000100000000/000000010000000000000004' },
    ]);
  });

  it('names the compressions xlog.db records that it cannot unpack', () => {
    const db = '000000010000000000000003\t16461\t1796700484.63\tgzip\n000000010000000000000004\t16777216\t1796700486.2\tNone\n';
    expect(unreadCompressions(db)).toEqual([]);
    expect(unreadCompressions(`${db}000000010000000000000005\t9000\t1796700487.1\tbzip2\n`)).toEqual(['bzip2']);
  });

  it('replays from the WAL copied into the data directory, with only %f and %p for PostgreSQL to fill in', () => {
    const command = barmanRestoreCommand('/var/lib/postgresql/data');
    expect(command).toBe('cp /var/lib/postgresql/data/barman_wal/%f "%p"');
    expect(command.match(/%./g)).toEqual(['%f', '%p']);
  });
});
