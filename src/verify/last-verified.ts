// last-verified.json: the evidence a team keeps as a CI artifact, for an auditor who asks when the
// backup was last proven to restore: which artifact (by sha256), when, into which image, what it
// held, how long the recovery took, how old the data was, and that a damaged copy failed.
import type { Verify, VerifyReport } from '../report/model.ts';

export interface LastVerified {
  verifiedAt: string;
  verdict: Verify['verdict'];
  runId: string;
  artifact: { path: string; format: string; bytes: number; sha256: string; modifiedAt: string };
  image: Verify['image'];
  recoveryMs: number;
  dataAge: { newest: string | null; ageMs: number | null; maxAgeMs: number } | null;
  expectations: Verify['expectations'];
  tables: number;
  rows: number;
  damagedCopy: Verify['damaged'];
  /** With --archive: the window its archive reached, and each gap. */
  window?: { start: string | null; end: string | null; gaps: number };
  problems: string[];
}

export function lastVerified(report: VerifyReport, verify: Verify): LastVerified {
  const { artifact } = verify;
  return {
    verifiedAt: report.finishedAt,
    verdict: verify.verdict,
    runId: report.runId,
    artifact: { path: artifact.path, format: artifact.format, bytes: artifact.bytes, sha256: artifact.sha256, modifiedAt: artifact.modifiedAt },
    image: verify.image,
    recoveryMs: verify.recoveryMs,
    dataAge: verify.dataAge ? { newest: verify.dataAge.newest, ageMs: verify.dataAge.ageMs, maxAgeMs: verify.dataAge.maxAgeMs } : null,
    expectations: verify.expectations,
    tables: verify.tables.length,
    rows: verify.tables.reduce((sum, table) => sum + table.rows, 0),
    damagedCopy: verify.damaged,
    ...(verify.window ? { window: { start: verify.window.start, end: verify.window.end, gaps: verify.window.gaps.length } } : {}),
    problems: verify.problems,
  };
}
