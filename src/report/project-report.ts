// The report of a command on the user's Compose project (`persist audit`, `persist check`): its
// own document under the envelope every report shares: the audit and, for a check, the copy's
// cells. Checked against the schema like every report; a mismatch becomes a harness error.
import type { EngineFacts } from '../docker/engine.ts';
import { toolVersion } from '../version.ts';
import { type Audit, type AuditReport, type Check, type CheckReport, SCHEMA_VERSION } from './model.ts';
import { reportProblems } from './validate.ts';

export interface ProjectRun {
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  engine: EngineFacts;
}

/** harnessErrors: what kept the command from a complete answer (a check that owes cells it did not produce). */
export function projectReport(run: ProjectRun, audit: Audit, check?: Check, harnessErrors: readonly string[] = []): AuditReport | CheckReport {
  const envelope: Omit<AuditReport, 'kind' | 'audit'> = {
    schemaVersion: SCHEMA_VERSION,
    runId: run.runId,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    durationMs: run.durationMs,
    tool: toolVersion(),
    environment: {
      engine: run.engine,
      images: audit.services.map((service) => ({ target: service.service, reference: service.image, id: service.imageId, source: 'project' })),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    harnessErrors: [...harnessErrors],
  };
  const report: AuditReport | CheckReport = check ? { ...envelope, kind: 'check', audit, check } : { ...envelope, kind: 'audit', audit };
  const problems = reportProblems(report);
  if (problems.length > 0) report.harnessErrors.push(...problems.map((problem) => `report.json does not match its schema: ${problem}`));
  return report;
}
