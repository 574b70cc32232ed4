// What a disruption did to each subject: every probe read back and compared with what it held
// before, as cells with what the user needs, what the audit predicted and what was observed.
import { upgradeMovesData } from '../compose/findings.ts';
import type { Fate } from '../compose/storage-map.ts';
import { compareFingerprints, type Fingerprint } from '../data/fingerprint.ts';
import { describeError } from '../errors.ts';
import { FileProbe, probeFileIn } from '../probes/file-probe.ts';
import { ABSENT } from '../probes/probe.ts';
import type { CheckCell } from '../report/model.ts';
import type { ComposeStack } from '../stack/compose-stack.ts';
import { SITE_ITEMS, SITE_ITEMS_WORDING } from '../targets/wordpress/content.ts';
import { type Disruption, predictedAs } from './disruptions.ts';
import { untilReady } from './readiness.ts';
import { sitePrediction } from './site-probe.ts';
import type { AuditDataPath, Seeded } from './subjects.ts';
import { judgeCheckCell, type Observed, requiredFate } from './verdict.ts';

/** The audit's prediction for data on this path under a disruption. */
function predictionFor(path: AuditDataPath | undefined, disruption: Disruption): Fate | undefined {
  const lifecycle = predictedAs(disruption);
  return lifecycle && path ? path.fates[lifecycle] : undefined;
}

function cellOf(
  seeded: Seeded,
  disruption: Disruption,
  path: AuditDataPath,
  probe: CheckCell['probe'],
  observed: Observed,
  evidence: string[],
  predicted = predictionFor(path, disruption),
): CheckCell {
  const required = requiredFate(disruption, path.storage.kind, path.ephemeral === true);
  return {
    service: seeded.subject.service.service,
    path: path.path,
    storage: path.storage,
    lifecycle: disruption,
    probe,
    ...(required ? { required } : {}),
    ...(predicted ? { predicted } : {}),
    observed,
    ...judgeCheckCell(required, predicted, observed),
    evidence,
  };
}

function storageWords(path: AuditDataPath): string {
  return `on ${path.storage.kind}${path.storage.target ? ` at ${path.storage.target}` : ''}`;
}

/** Why a subject cannot be read after the disruption, or undefined when it can. */
interface Reading {
  readable: boolean;
  /** "the service did not come back (…)", or the user's command that failed. */
  why: string;
}

async function observeFiles(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading): Promise<CheckCell[]> {
  const { subject } = seeded;
  const readBack = reading.readable ? await subject.files.fingerprint(stack) : {};
  const cells: CheckCell[] = [];
  for (const path of subject.service.dataPaths) {
    const file = probeFileIn(path.path);
    const written = seeded.files?.[file];
    // After an upgrade that moves the data directory, the data is what the new server finds where it looks.
    const moved = disruption === 'upgrade' && subject.service.upgrade ? upgradeMovesData(path, subject.service.upgrade) : undefined;
    const found =
      moved && reading.readable ? (await new FileProbe(subject.service.service, [moved.path]).fingerprint(stack))[probeFileIn(moved.path)] : readBack[file];
    const observed: Observed =
      !reading.readable || !written ? 'unavailable' : compareFingerprints({ [file]: written }, { [file]: found ?? ABSENT }).identical ? 'kept' : 'lost';
    const seen = observed === 'kept' ? 'read back identical' : 'absent or changed';
    const after = observed === 'unavailable' ? reading.why : moved ? `the new image keeps this data in ${moved.path}; there the file is ${seen}` : seen;
    const evidence = written
      ? [`a ${written.rows}-byte file written at ${file} (${path.why}), ${storageWords(path)}`, `after \`${disruption}\`: ${after}`]
      : [`nothing could be written at ${file}: ${seeded.problem ?? path.why}`];
    cells.push(cellOf(seeded, disruption, path, 'file', observed, evidence));
  }
  return cells;
}

function describeOutput(observation: { rows: number; contentHash: string | null }): string {
  return `${observation.rows} bytes (sha256 ${observation.contentHash?.slice(0, 12)})`;
}

async function observeCommand(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading, primary: AuditDataPath): Promise<CheckCell> {
  const { subject } = seeded;
  const fingerprintCommand = `\`${subject.settings?.fingerprint}\``;
  const written = seeded.command ? Object.values(seeded.command)[0] : undefined;
  if (!written)
    return cellOf(seeded, disruption, primary, 'command', 'unavailable', [`the seed command could not run: ${seeded.problem ?? 'the service was not ready'}`]);
  const after = reading.readable ? Object.values((await subject.command?.fingerprint(stack)) ?? {})[0] : undefined;
  const observed: Observed = !after ? 'unavailable' : after.present && after.contentHash === written.contentHash ? 'kept' : 'lost';
  const seen =
    observed === 'unavailable'
      ? reading.why
      : observed === 'kept'
        ? `${fingerprintCommand} printed the same`
        : after?.present
          ? `${fingerprintCommand} printed ${describeOutput(after)}: different`
          : `${fingerprintCommand} failed`;
  return cellOf(seeded, disruption, primary, 'command', observed, [
    `${fingerprintCommand} printed ${describeOutput(written)} after the seed command; the data is in ${primary.path}, ${storageWords(primary)}`,
    `after \`${disruption}\`: ${seen}`,
  ]);
}

async function observeDataset(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading, path: AuditDataPath): Promise<CheckCell> {
  const { probe, before } = seeded.dataset ?? {};
  if (!probe || !before) return cellOf(seeded, disruption, path, 'dataset', 'unavailable', ['the dataset could not be written']);
  const written = `${describeDataset(before)} written through the server, ${storageWords(path)}`;
  if (!reading.readable) return cellOf(seeded, disruption, path, 'dataset', 'unavailable', [written, `after \`${disruption}\`: ${reading.why}`]);
  try {
    const comparison = compareFingerprints(before, await probe.fingerprint(stack));
    const counted = seeded.ledger && probe.ledger ? (await probe.ledger.count(stack, seeded.ledger)).writes : undefined;
    const lostWrites = counted !== undefined && counted.lost > 0;
    const observed: Observed = comparison.identical && !lostWrites ? 'kept' : 'lost';
    const evidence = [written, `after \`${disruption}\`: ${comparison.identical ? 'every table read back identical' : comparison.differences.join('; ')}`];
    if (counted)
      evidence.push(
        `writers committing during the kill: ${counted.acknowledged} acknowledged, ${counted.present} present, ${counted.lost} lost, ${counted.unexpected} unexpected`,
      );
    return { ...cellOf(seeded, disruption, path, 'dataset', observed, evidence), ...(counted ? { writes: counted } : {}) };
  } catch (error) {
    return cellOf(seeded, disruption, path, 'dataset', 'unavailable', [written, `after \`${disruption}\`: ${stack.redact(describeError(error))}`]);
  } finally {
    await probe.release?.();
  }
}

async function observeSite(stack: ComposeStack, seeded: Seeded, disruption: Disruption, reading: Reading, files: AuditDataPath): Promise<CheckCell> {
  const { probe, before, httpSummary } = seeded.site ?? {};
  const rows = seeded.subject.site?.rows;
  // The site is kept only where both its files and its database's rows are.
  const predicted = sitePrediction(predictionFor(files, disruption), predictionFor(rows, disruption));
  const cell = (observed: Observed, evidence: string[]) => cellOf(seeded, disruption, files, 'site', observed, evidence, predicted);
  if (!probe || !before) return cell('unavailable', ['the site could not be written']);
  const written = `${SITE_ITEMS.length} items written over HTTP (${httpSummary}); files ${storageWords(files)}, rows in ${seeded.subject.site?.services.database}${rows ? ` ${storageWords(rows)}` : ''}`;
  if (!reading.readable) return cell('unavailable', [written, `after \`${disruption}\`: ${reading.why}`]);
  try {
    // Apache may answer a moment after WordPress's files are in place.
    await probe.ready(stack);
    const after = await probe.observe(stack);
    const comparison = compareFingerprints(before, after.fingerprint, SITE_ITEMS_WORDING);
    return cell(comparison.identical ? 'kept' : 'lost', [
      written,
      `after \`${disruption}\`: ${comparison.identical ? 'every item read back identical' : comparison.differences.join('; ')} (${after.httpSummary})`,
    ]);
  } catch (error) {
    return cell('unavailable', [written, `after \`${disruption}\`: ${stack.redact(describeError(error))}`]);
  }
}

function describeDataset(fingerprint: Fingerprint): string {
  const tables = Object.values(fingerprint);
  return `${tables.reduce((rows, table) => rows + table.rows, 0).toLocaleString('en')} rows in ${tables.length} tables`;
}

export async function observe(stack: ComposeStack, seeded: Seeded, disruption: Disruption, problem: string | undefined): Promise<CheckCell[]> {
  const { subject } = seeded;
  const notReady =
    seeded.files === undefined && seeded.command === undefined ? seeded.problem : await untilReady(stack, subject.service, subject.settings?.ready);
  const reading: Reading = {
    readable: notReady === undefined && problem === undefined,
    why: problem ?? `the service did not come back (${notReady ?? seeded.problem ?? 'unknown'})`,
  };
  // A backup and restore is judged by the user's own commands where they gave them: a dump
  // restores the data, not a stray file in the data directory.
  const byFiles = !(disruption === 'backup-restore' && (subject.command || seeded.dataset || seeded.site));
  const cells = byFiles ? await observeFiles(stack, seeded, disruption, reading) : [];
  // A backup of the user's own is judged by their own fingerprint where they gave one.
  if (seeded.dataset && subject.databasePath && !(disruption === 'backup-restore' && subject.command))
    cells.push(await observeDataset(stack, seeded, disruption, reading, subject.databasePath));
  if (seeded.site && subject.databasePath && !(disruption === 'backup-restore' && subject.command))
    cells.push(await observeSite(stack, seeded, disruption, reading, subject.databasePath));
  if (subject.command && subject.primary) cells.push(await observeCommand(stack, seeded, disruption, reading, subject.primary));
  return cells;
}
