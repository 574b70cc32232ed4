// What a database's own log says about the last stop and the next start: whether it shut down
// cleanly, whether the start ran crash recovery, and how long the server says its redo took.
import type { ShutdownVerdict } from '../report/model.ts';
import type { DatabaseTarget } from '../stack/database-target.ts';

export interface ShutdownEvidence {
  cleanShutdownLogged: boolean;
  crashRecovery: boolean;
  verdict: ShutdownVerdict;
  /** The log line the verdict rests on. */
  line: string | null;
  /** The redo duration the server printed (PostgreSQL 15+: "redo done at … elapsed: 0.01 s"); null when it prints none. */
  serverRecoveryMs: number | null;
}

const REDO_ELAPSED = /redo done at .*elapsed: ([\d.]+) s/;

/**
 * The lines of the last stop: from the shutdown request the server printed after it last said it
 * was ready, to the end. A first start's initialisation stops a temporary server cleanly, so a
 * clean-shutdown line before the server's last ready line says nothing about a later stop.
 */
function lastStop(target: DatabaseTarget, lines: string[]): string[] {
  const requested = lines.findLastIndex((line) => target.shutdownRequestedMarker.test(line));
  const ready = lines.findLastIndex((line) => target.readyMarker.test(line));
  return requested > ready ? lines.slice(requested) : [];
}

/** Whether the last stop in a stopped container's log was a complete, clean shutdown. */
export function shutdownLoggedClean(target: DatabaseTarget, logsUntilStop: string): boolean {
  return lastStop(target, logsUntilStop.split('\n')).some((line) => target.cleanShutdownMarker.test(line));
}

/** `logs` should hold only what was printed from the stop on, so older starts do not count. */
export function readShutdownEvidence(target: DatabaseTarget, logs: string): ShutdownEvidence {
  const lines = logs.split('\n');
  // The stop is what came before the next start said it was ready.
  const nextReady = lines.findIndex((line) => target.readyMarker.test(line));
  const stop = lastStop(target, nextReady < 0 ? lines : lines.slice(0, nextReady));
  const recoveryLine = lines.find((line) => target.crashRecoveryMarkers.some((marker) => marker.test(line))) ?? null;
  const cleanLine = stop.find((line) => target.cleanShutdownMarker.test(line)) ?? null;
  const requestLine = stop[0] ?? null;
  const elapsed = REDO_ELAPSED.exec(logs)?.[1];
  const verdict: ShutdownVerdict = recoveryLine ? 'crash-recovery' : cleanLine ? 'clean' : requestLine ? 'interrupted' : 'unknown';
  return {
    cleanShutdownLogged: cleanLine !== null,
    crashRecovery: recoveryLine !== null,
    verdict,
    line: (recoveryLine ?? cleanLine ?? requestLine)?.trim() ?? null,
    serverRecoveryMs: elapsed === undefined ? null : Math.round(Number(elapsed) * 1000),
  };
}
