// The acknowledged-write ledger behind the RPO figures: a writer keeps writing numbered
// records around the backup and notes, on the host, which ones the service acknowledged and
// when. After the restore, the ids present are compared with it: what is missing, and whether
// anything the backup should have had (acknowledged before it started) is missing too.
import type { AcknowledgedWrites, RpoFigures } from '../report/model.ts';
import { harnessNowMs, round, sleep } from '../timing/clock.ts';

export interface LedgerLog {
  /** Every id a write was attempted for. */
  attempted: number[];
  /** Acknowledged ids with the moment the harness heard of each acknowledgement (its monotonic clock, harnessNowMs). */
  acknowledged: Array<{ id: number; at: number }>;
  /** Attempted ids whose outcome is unknown: the service went away during the write. */
  unknown: number[];
}

/** A writer that runs until stopped; stop() resolves once the last write has settled. */
export interface LedgerWriter {
  stop(): Promise<LedgerLog>;
}

export function emptyLedger(): LedgerLog {
  return { attempted: [], acknowledged: [], unknown: [] };
}

export function mergeLedgers(...logs: LedgerLog[]): LedgerLog {
  return {
    attempted: logs.flatMap((l) => l.attempted),
    acknowledged: logs.flatMap((l) => l.acknowledged),
    unknown: logs.flatMap((l) => l.unknown),
  };
}

export function nextLedgerId(log: LedgerLog): number {
  return log.attempted.reduce((max, id) => Math.max(max, id), 0) + 1;
}

/** Writes one record after another, a few ms apart, until stopped: the host-side writer. */
export function startLedgerLoop(firstId: number, write: (id: number) => Promise<void>, pauseMs = 5): LedgerWriter {
  const log = emptyLedger();
  let stopping = false;
  const loop = (async () => {
    for (let id = firstId; !stopping; id++) {
      log.attempted.push(id);
      try {
        await write(id);
        log.acknowledged.push({ id, at: harnessNowMs() });
      } catch {
        log.unknown.push(id);
        return; // The service went away; the outcome of this write is unknown.
      }
      await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return log;
    },
  };
}

export function evaluateLedger(log: LedgerLog, presentIds: Iterable<number>, backupStartedAt: number): RpoFigures {
  const present = new Set(presentIds);
  const attempted = new Set(log.attempted);
  const missing = log.acknowledged.filter((w) => !present.has(w.id));
  const lastAck = log.acknowledged.reduce((latest, w) => Math.max(latest, w.at), -Infinity);
  const firstMissing = missing.reduce((earliest, w) => Math.min(earliest, w.at), Infinity);
  return {
    acknowledged: log.acknowledged.length,
    present: log.acknowledged.length - missing.length,
    missing: missing.length,
    missingBeforeBackup: missing.filter((w) => w.at < backupStartedAt).length,
    unexpected: [...present].filter((id) => !attempted.has(id)).length,
    recovered: log.unknown.filter((id) => present.has(id)).length,
    windowMs: missing.length > 0 ? round(lastAck - firstMissing) : null,
    firstMissingAfterBackupStartMs: missing.length > 0 ? round(firstMissing - backupStartedAt) : null,
  };
}

export function describeRpo(rpo: RpoFigures): string {
  const head = `RPO: ${rpo.acknowledged} writes acknowledged, ${rpo.present} present after the restore, ${rpo.missing} missing`;
  const window =
    rpo.missing > 0 && rpo.windowMs !== null && rpo.firstMissingAfterBackupStartMs !== null
      ? ` (acknowledged from ${rpo.firstMissingAfterBackupStartMs} ms after the backup started, spanning ${rpo.windowMs} ms)`
      : '';
  const problems = [
    rpo.missingBeforeBackup > 0 ? `${rpo.missingBeforeBackup} of them acknowledged BEFORE the backup started` : '',
    rpo.unexpected > 0 ? `${rpo.unexpected} present that were never written` : '',
    rpo.recovered > 0 ? `${rpo.recovered} with an unknown outcome present` : '',
  ].filter(Boolean);
  return `${head}${window}${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`;
}

/**
 * A power cut copies the disk at one instant: writes acknowledged from then on could not be on it
 * (no client would have heard of them), so they become writes of unknown outcome, not judged.
 */
export function judgedUpTo(ledger: LedgerLog, instant: number | undefined): { judged: LedgerLog; notJudged: number } {
  if (instant === undefined) return { judged: ledger, notJudged: 0 };
  const late = ledger.acknowledged.filter((w) => w.at >= instant);
  return {
    judged: {
      attempted: ledger.attempted,
      acknowledged: ledger.acknowledged.filter((w) => w.at < instant),
      unknown: [...ledger.unknown, ...late.map((w) => w.id)],
    },
    notJudged: late.length,
  };
}

/** What a kill did to acknowledged writes, counted as Jepsen's set checker counts them. */
export function checkAcknowledged(log: LedgerLog, presentIds: Iterable<number>): AcknowledgedWrites {
  const present = new Set(presentIds);
  const attempted = new Set(log.attempted);
  const lost = log.acknowledged.filter((w) => !present.has(w.id)).length;
  return {
    attempted: log.attempted.length,
    acknowledged: log.acknowledged.length,
    present: log.acknowledged.length - lost,
    lost,
    unexpected: [...present].filter((id) => !attempted.has(id)).length,
    recovered: log.unknown.filter((id) => present.has(id)).length,
  };
}
