// What a disruption did to each subject: every probe read back and compared with what it held
// before, as cells with what the user needs, what the audit predicted and what was observed.
import { upgradeMovesData } from '../compose/findings.ts';
import { type Fate, fatesOf } from '../compose/storage-map.ts';
import { compareFingerprints, type Fingerprint } from '../data/fingerprint.ts';
import { describeError } from '../errors.ts';
import { FileProbe, probeFileIn } from '../probes/file-probe.ts';
import { ABSENT } from '../probes/probe.ts';
import type { CheckCell } from '../report/model.ts';
import type { ComposeStack } from '../compose/compose-stack.ts';
import type { CheckDisruption } from '../report/vocabulary.ts';
import { checkDrill } from './drills/all.ts';
import { logTail, untilReady } from './readiness.ts';
import { type OwedProbe, owedProbes } from './check-plan.ts';
import { sitePrediction } from './site-probe.ts';
import { type AuditDataPath, objectsOrWhyNot, type Seeded, type Subject, whyNotSeeded } from './check-subjects.ts';
import { judgeObjects } from './check-objects.ts';
import { kindCounts } from '../data/inventory.ts';
import { judgeCheckCell, type Observed } from './check-verdict.ts';

/** The audit's prediction for data on this path under a disruption. */
function predictionFor(path: AuditDataPath | undefined, disruption: CheckDisruption): Fate | undefined {
  const lifecycle = checkDrill(disruption).predictedAs;
  return lifecycle && path ? path.fates[lifecycle] : undefined;
}

function cellOf(
  seeded: Seeded,
  disruption: CheckDisruption,
  path: AuditDataPath,
  probe: CheckCell['probe'],
  observed: Observed,
  evidence: string[],
  predicted = predictionFor(path, disruption),
): CheckCell {
  const required = checkDrill(disruption).required(path.storage.kind, path.ephemeral === true);
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

/**
 * A file probe sees the storage. Where the server keeps its data in a folder named after a host
 * name nothing pins, the storage outlives a recreate that the data does not: the file is predicted
 * as the storage keeps it, and the dataset says what the server found.
 */
function filePrediction(subject: Subject, path: AuditDataPath, disruption: CheckDisruption): Fate | undefined {
  const lifecycle = checkDrill(disruption).predictedAs;
  if (!subject.strandedByHostname.includes(path.path) || lifecycle === undefined || lifecycle === 'upgrade') return predictionFor(path, disruption);
  return fatesOf(path.storage)[lifecycle];
}

function strandedWords(subject: Subject, path: AuditDataPath): string[] {
  return subject.strandedByHostname.includes(path.path)
    ? [
        'the server keeps its data in a folder named after its host name, which nothing pins: the file shows what the storage kept, the dataset what the server found',
      ]
    : [];
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

async function observeFiles(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, paths: AuditDataPath[]): Promise<CheckCell[]> {
  const { subject } = seeded;
  const readBack = reading.readable && seeded.files ? await subject.files.fingerprint(stack) : {};
  const cells: CheckCell[] = [];
  for (const path of paths) {
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
      : [`nothing could be written at ${file} before \`${disruption}\`: ${whyNotSeeded(seeded, 'file')}`];
    cells.push(cellOf(seeded, disruption, path, 'file', observed, [...evidence, ...strandedWords(subject, path)], filePrediction(subject, path, disruption)));
  }
  return cells;
}

function describeOutput(observation: { rows: number; contentHash: string | null }): string {
  return `${observation.rows} bytes (sha256 ${observation.contentHash?.slice(0, 12)})`;
}

async function observeCommand(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, primary: AuditDataPath): Promise<CheckCell> {
  const { subject } = seeded;
  const fingerprintCommand = `\`${subject.settings?.fingerprint}\``;
  const written = seeded.command ? Object.values(seeded.command)[0] : undefined;
  if (!written)
    return cellOf(seeded, disruption, primary, 'command', 'unavailable', [
      `the seed command could not run before \`${disruption}\`: ${whyNotSeeded(seeded, 'command')}`,
    ]);
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

async function observeDataset(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, path: AuditDataPath): Promise<CheckCell> {
  const { probe, before } = seeded.dataset ?? {};
  if (!probe || !before) return cellOf(seeded, disruption, path, 'dataset', 'unavailable', [await notWritten(stack, seeded, disruption, 'dataset')]);
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

async function observeSite(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, files: AuditDataPath): Promise<CheckCell> {
  const { probe, before, httpSummary } = seeded.site ?? {};
  const { rows, kit } = seeded.subject.site ?? {};
  // The site is kept only where both its files and its database's rows are.
  const predicted = sitePrediction(predictionFor(files, disruption), predictionFor(rows, disruption));
  const cell = (observed: Observed, evidence: string[]) => cellOf(seeded, disruption, files, 'site', observed, evidence, predicted);
  if (!probe || !before || !kit) return cell('unavailable', [await notWritten(stack, seeded, disruption, 'site')]);
  const written = `${kit.items.length} items written over HTTP (${httpSummary}); files ${storageWords(files)}, rows in ${seeded.subject.site?.services.database}${rows ? ` ${storageWords(rows)}` : ''}`;
  if (!reading.readable) return cell('unavailable', [written, `after \`${disruption}\`: ${reading.why}`]);
  try {
    // The web server may answer a moment after the site's files are in place.
    await probe.ready(stack);
    const after = await probe.observe(stack);
    const comparison = compareFingerprints(before, after.fingerprint, kit.wording);
    return cell(comparison.identical ? 'kept' : 'lost', [
      written,
      `after \`${disruption}\`: ${comparison.identical ? 'every item read back identical' : comparison.differences.join('; ')} (${after.httpSummary})`,
    ]);
  } catch (error) {
    return cell('unavailable', [written, `after \`${disruption}\`: ${stack.redact(describeError(error))}`]);
  }
}

/** A database's objects after a restore against those listed before the backup: each one missing is named. */
async function observeObjects(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, path: AuditDataPath): Promise<CheckCell> {
  const { objects: before, subject } = seeded;
  const cell = (observed: Observed, evidence: string[]) => cellOf(seeded, disruption, path, 'objects', observed, evidence);
  if (before === undefined || subject.objectsKit === undefined)
    return cell('unavailable', [`its objects were not listed before \`${disruption}\`: ${whyNotSeeded(seeded, 'objects')}`]);
  if (!Array.isArray(before)) return cell('unavailable', [`its objects could not be listed before \`${disruption}\`: ${before.failure}`]);
  if (!reading.readable) return cell('unavailable', [`${kindCounts(before)} listed before; after \`${disruption}\`: ${reading.why}`]);
  const after = await objectsOrWhyNot(stack, subject.service.service, subject.objectsKit);
  if (!Array.isArray(after)) return cell('unavailable', [`listing its objects after \`${disruption}\` failed: ${after.failure}`]);
  const judged = judgeObjects(before, after);
  return cell(judged.lost.length === 0 ? 'kept' : 'lost', [judged.evidence]);
}

function describeDataset(fingerprint: Fingerprint): string {
  const tables = Object.values(fingerprint);
  return `${tables.reduce((rows, table) => rows + table.rows, 0).toLocaleString('en')} rows in ${tables.length} tables`;
}

/**
 * Why a probe of the check's own holds nothing this round, with the service's last log lines:
 * the reader of an unavailable cell sees what the service said when it could not be written.
 */
async function notWritten(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, probe: 'dataset' | 'site'): Promise<string> {
  const what = probe === 'dataset' ? 'the dataset' : 'the site';
  const service = probe === 'site' ? (seeded.subject.site?.services.web ?? seeded.subject.service.service) : seeded.subject.service.service;
  return `${what} could not be written before \`${disruption}\`: ${whyNotSeeded(seeded, probe)}${seeded.notReady ? '' : await logTail(stack, service)}`;
}

type Observer = (stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, reading: Reading, path: AuditDataPath) => Promise<CheckCell>;

const OBSERVERS: Record<Exclude<CheckCell['probe'], 'file'>, Observer> = {
  dataset: observeDataset,
  objects: observeObjects,
  site: observeSite,
  command: observeCommand,
};

/** An observation that threw is the cell's answer, unavailable with the error: never a missing cell. */
async function guarded(
  stack: ComposeStack,
  seeded: Seeded,
  disruption: CheckDisruption,
  owed: OwedProbe[],
  read: () => Promise<CheckCell[]>,
): Promise<CheckCell[]> {
  try {
    return await read();
  } catch (error) {
    const detail = `reading it back after \`${disruption}\` failed: ${stack.redact(describeError(error))}`;
    return owed.map(({ probe, path }) => cellOf(seeded, disruption, path, probe, 'unavailable', [detail]));
  }
}

/** Every cell the subject owes on this disruption (plan.ts), each observed, or unavailable with the reason. */
export async function observe(stack: ComposeStack, seeded: Seeded, disruption: CheckDisruption, problem: string | undefined): Promise<CheckCell[]> {
  const { subject } = seeded;
  const notReady = seeded.notReady ?? (await untilReady(stack, subject.service, subject.settings?.ready));
  const reading: Reading = {
    readable: notReady === undefined && problem === undefined,
    why: problem ?? `the service did not come back (${notReady ?? 'unknown'})`,
  };
  const owed = owedProbes(subject, disruption);
  const files = owed.filter((entry) => entry.probe === 'file');
  const cells =
    files.length > 0
      ? await guarded(stack, seeded, disruption, files, () =>
          observeFiles(
            stack,
            seeded,
            disruption,
            reading,
            files.map((entry) => entry.path),
          ),
        )
      : [];
  for (const entry of owed) {
    if (entry.probe === 'file') continue;
    const observer = OBSERVERS[entry.probe];
    cells.push(...(await guarded(stack, seeded, disruption, [entry], async () => [await observer(stack, seeded, disruption, reading, entry.path)])));
  }
  return cells;
}
