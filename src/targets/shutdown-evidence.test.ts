import { describe, expect, test } from 'vitest';
import { mysql } from '../services/mysql/driver.ts';
import { postgres } from '../services/postgres/driver.ts';
import { readShutdownEvidence, shutdownLoggedClean } from './shutdown-evidence.ts';

// Lines as PostgreSQL 15 and MariaDB 10.11 printed them in the stop-mode drills.
const PG_CLEAN = [
  '2026-11-28 11:12:41.720 UTC [1] LOG:  received fast shutdown request',
  '2026-11-28 11:12:41.731 UTC [1] LOG:  database system is shut down',
  '2026-11-28 11:12:42.001 UTC [17] LOG:  database system was shut down at 2026-11-28 11:12:41 UTC',
].join('\n');
const PG_CRASH = [
  '2026-11-28 11:12:46.003 UTC [17] LOG:  database system was interrupted; last known up at 2026-11-28 11:12:44 UTC',
  '2026-11-28 11:12:46.010 UTC [17] LOG:  database system was not properly shut down; automatic recovery in progress',
  '2026-11-28 11:12:46.020 UTC [17] LOG:  redo done at 0/1A2B3C8 system usage: CPU: user: 0.00 s, system: 0.01 s, elapsed: 0.04 s',
].join('\n');
const MARIADB_CRASH = '2026-11-28 11:12:59 0 [Note] InnoDB: Starting crash recovery from checkpoint LSN=44776';
const MARIADB_CLEAN = [
  '2026-11-28 11:12:53 0 [Note] mysqld (initiated by: unknown): Normal shutdown',
  '2026-11-28 11:12:53 0 [Note] InnoDB: Shutdown completed; log sequence number 316625; transaction id 2394',
].join('\n');
// docker stop -t 0: the SIGKILL came after PostgreSQL's shutdown checkpoint but before its last line.
const PG_INTERRUPTED = [
  '2026-11-28 12:42:28.209 UTC [1] LOG:  received fast shutdown request',
  '2026-11-28 12:42:28.223 UTC [43] LOG:  checkpoint starting: shutdown immediate',
  '2026-11-28 12:42:28.232 UTC [43] LOG:  checkpoint complete: wrote 56 buffers (0.3%)',
  '2026-11-28 12:42:28.733 UTC [16] LOG:  database system was shut down at 2026-11-28 12:42:28 UTC',
  '2026-11-28 12:42:28.737 UTC [1] LOG:  database system is ready to accept connections',
].join('\n');
// A first start: the entrypoint stops its temporary server cleanly before the real one starts.
const PG_INIT_THEN_KILLED = [
  '2026-11-28 12:42:26.900 UTC [33] LOG:  received fast shutdown request',
  '2026-11-28 12:42:26.950 UTC [33] LOG:  database system is shut down',
  '2026-11-28 12:42:27.100 UTC [1] LOG:  database system is ready to accept connections',
].join('\n');

describe('reading a stop and the next start from the server log', () => {
  test('a clean PostgreSQL shutdown, with nothing to redo', () => {
    expect(readShutdownEvidence(postgres, PG_CLEAN)).toMatchObject({
      verdict: 'clean',
      cleanShutdownLogged: true,
      crashRecovery: false,
      serverRecoveryMs: null,
    });
  });

  test('PostgreSQL crash recovery, with the redo time it printed', () => {
    const evidence = readShutdownEvidence(postgres, PG_CRASH);
    expect(evidence).toMatchObject({ verdict: 'crash-recovery', crashRecovery: true, serverRecoveryMs: 40 });
    expect(evidence.line).toContain('database system was interrupted');
  });

  test('a clean line before a crash does not hide the crash recovery after it', () => {
    expect(readShutdownEvidence(postgres, `${PG_CLEAN}\n${PG_CRASH}`).verdict).toBe('crash-recovery');
  });

  test('MariaDB, both ways', () => {
    expect(readShutdownEvidence(mysql, MARIADB_CLEAN).verdict).toBe('clean');
    expect(readShutdownEvidence(mysql, MARIADB_CRASH).verdict).toBe('crash-recovery');
  });

  test('a shutdown killed before its last line, with nothing to recover, is interrupted, not clean', () => {
    const evidence = readShutdownEvidence(postgres, PG_INTERRUPTED);
    expect(evidence).toMatchObject({ verdict: 'interrupted', cleanShutdownLogged: false, crashRecovery: false });
    expect(evidence.line).toContain('received fast shutdown request');
  });

  test('only the last stop counts: a clean stop during initialisation does not make a later kill clean', () => {
    expect(shutdownLoggedClean(postgres, PG_INIT_THEN_KILLED)).toBe(false);
    expect(shutdownLoggedClean(postgres, `${PG_INIT_THEN_KILLED}\n${PG_CLEAN}`)).toBe(true);
    expect(shutdownLoggedClean(mysql, MARIADB_CLEAN)).toBe(true);
    expect(shutdownLoggedClean(mysql, MARIADB_CRASH)).toBe(false);
  });

  test('a log that says neither is not taken for a clean shutdown', () => {
    expect(readShutdownEvidence(postgres, 'LOG:  database system is ready to accept connections').verdict).toBe('unknown');
  });
});
