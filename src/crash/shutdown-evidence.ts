// What a database's own log says about the last stop and the next start: whether it shut down
// cleanly, whether the start ran crash recovery, and how long the server says its redo took.
import type { DatabaseTarget } from '../targets/target.ts';

export interface ShutdownEvidence {
  cleanShutdownLogged: boolean;
  crashRecovery: boolean;
  /** 'clean': no crash recovery after a logged clean shutdown; 'unknown': the log says neither. */
  verdict: 'clean' | 'crash-recovery' | 'unknown';
  /** The log line the verdict rests on. */
  line: string | null;
  /** The redo duration the server printed (PostgreSQL 15+: "redo done at … elapsed: 0.01 s"); null when it prints none. */
  serverRecoveryMs: number | null;
}

const REDO_ELAPSED = /redo done at .*elapsed: ([\d.]+) s/;

/** `logs` should hold only what was printed from the stop on, so older starts do not count. */
export function readShutdownEvidence(target: DatabaseTarget, logs: string): ShutdownEvidence {
  const lines = logs.split('\n');
  const recoveryLine = lines.find((line) => target.crashRecoveryMarkers.some((marker) => marker.test(line))) ?? null;
  const cleanLine = lines.find((line) => target.cleanShutdownMarker.test(line)) ?? null;
  const elapsed = REDO_ELAPSED.exec(logs)?.[1];
  const verdict = recoveryLine ? 'crash-recovery' : cleanLine ? 'clean' : 'unknown';
  return {
    cleanShutdownLogged: cleanLine !== null,
    crashRecovery: recoveryLine !== null,
    verdict,
    line: (recoveryLine ?? cleanLine)?.trim() ?? null,
    serverRecoveryMs: elapsed === undefined ? null : Math.round(Number(elapsed) * 1000),
  };
}
