import { describe, expect, test } from 'vitest';
import { mysql } from '../targets/mysql.ts';
import { postgres } from '../targets/postgres.ts';
import { readShutdownEvidence } from './shutdown-evidence.ts';

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
const MARIADB_CLEAN = '2026-11-28 11:12:53 0 [Note] Shutdown completed; log sequence number 316625; transaction id 2394';

describe('reading a stop and the next start from the server log', () => {
  test('a clean PostgreSQL shutdown, with nothing to redo', () => {
    expect(readShutdownEvidence(postgres, PG_CLEAN)).toMatchObject({ verdict: 'clean', cleanShutdownLogged: true, crashRecovery: false, serverRecoveryMs: null });
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

  test('a log that says neither is not taken for a clean shutdown', () => {
    expect(readShutdownEvidence(postgres, 'LOG:  database system is ready to accept connections').verdict).toBe('unknown');
  });
});
