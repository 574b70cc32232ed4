// `persist doctor`: what would stop a run on this machine, each problem with its fix.
import { IMAGE_SETS, chooseImages, chooseUpgrades, loadConfig, type HarnessConfig, type ImageChoice, type ImageSet } from '../config.ts';
import { composeVersion } from '../compose/compose-cli.ts';
import { countRunResources } from '../docker/cleanup.ts';
import { checkEngine, docker, inspectImage } from '../docker/engine.ts';
import { powerCutUnsupported } from '../host/power-cut-support.ts';
import { newRunId, runLabels } from '../docker/labels.ts';
import { checkPublishedPortsReach } from '../docker/reachability.ts';
import { withTimeout } from '../timing/clock.ts';
import { EngineUnreachableError, describeError } from '../errors.ts';
import { enginesRange, minimumOf, nodeVersionProblem } from '../../bin/node-check.js';

type Print = (line: string) => void;

const REGISTRY_CHECK_TIMEOUT_MS = 10_000;

export async function doctorCommand(options: { images?: string }, print: Print): Promise<number> {
  const env = { ...process.env, ...(options.images ? { PERSIST_IMAGES: options.images } : {}) };
  const config = loadConfig(env);
  let problems = 0;
  const ok = (line: string) => print(`✔ ${line}`);
  const problem = (line: string) => {
    problems += 1;
    print(`✘ ${line}`);
  };

  const tooOld = nodeVersionProblem(process.versions.node, enginesRange(), process.execPath);
  if (tooOld) problem(tooOld);
  else ok(`Node ${process.version} (needs ${minimumOf(enginesRange())} or newer)`);

  let engineUp = false;
  try {
    const engine = await checkEngine();
    engineUp = true;
    ok(`Docker engine ${engine.version} (API ${engine.apiVersion}), storage driver ${engine.storageDriver}`);
    // Not a problem: only the power-loss scenario and the check's power-cut disruption need it.
    const unsupported = await powerCutUnsupported(engine);
    print(unsupported ? `- power cuts cannot run here: ${unsupported}.` : '✔ power cuts can run here (root, loop devices, XFS with reflink, a local engine)');
  } catch (error) {
    problem(error instanceof EngineUnreachableError ? error.oneLine() : String(error));
  }

  try {
    ok(`Docker Compose ${await composeVersion()} (reads your project for \`persist audit\`)`);
  } catch (error) {
    problem(describeError(error));
  }

  if (engineUp) {
    // An image both sets use (a tool built here) is told once, with the set this run uses.
    const told = new Set<string>();
    for (const set of [config.imageSet, ...IMAGE_SETS.filter((s) => s !== config.imageSet)] as ImageSet[]) {
      const selected = set === config.imageSet;
      const statuses = await imageSetStatuses(config, set, told);
      if (selected) {
        print(`Images for this run (--images ${set}):`);
        for (const { name, status } of statuses) (status.ok ? ok : problem)(`  ${name}: ${status.text}`);
      } else {
        for (const line of otherSetLines(set, statuses)) print(line);
      }
    }
    await checkPortReach(config.images.toolbox, ok, problem, print);
    const left = await countRunResources();
    const disks = left.disks ?? 0;
    if (left.containers + left.volumes + left.networks + disks === 0) ok('no leftovers from earlier runs');
    else
      print(
        `! leftovers from earlier runs: ${left.containers} containers, ${left.volumes} volumes, ${left.networks} networks, ${disks} power-cut mounts and loop devices; remove them with \`persist clean\`.`,
      );
  }

  print(problems === 0 ? 'Ready: `persist run` can start.' : `${problems} problem(s): fix them, then run \`persist doctor\` again.`);
  return problems === 0 ? 0 : 2;
}

interface ImageStatus {
  ok: boolean;
  text: string;
  /** Why it cannot be had, where it cannot: the same reason for every image means one line. */
  reason?: string;
}

/** Each image a run of the set starts (the services', each upgrade pair's old and new) not told yet; an image in two places once. */
async function imageSetStatuses(config: HarnessConfig, set: ImageSet, told: Set<string>): Promise<Array<{ name: string; status: ImageStatus }>> {
  const selected = set === config.imageSet;
  const images = selected ? config.images : chooseImages(set, {});
  const upgrades = selected ? config.upgrades : chooseUpgrades(set, {});
  const checks = [
    ...Object.values(images).map((choice) => ({ name: choice.target, reference: choice.reference, standIn: choice.source === 'local' })),
    ...Object.values(upgrades).flatMap((pair) =>
      [pair.from, pair.to].map((reference, k) => ({ name: `${pair.name} upgrade, ${k === 0 ? 'old' : 'new'}`, reference, standIn: pair.source === 'local' })),
    ),
  ];
  const statuses: Array<{ name: string; status: ImageStatus }> = [];
  for (const check of checks) {
    if (told.has(check.reference)) continue;
    told.add(check.reference);
    statuses.push({ name: check.name, status: await imageStatus(check.reference, check.standIn) });
  }
  return statuses;
}

/**
 * The set a run does not use, for information: one line when none of its images can be had for
 * the same reason (no registry reachable: twelve lines would say one thing), else a line an image.
 */
export function otherSetLines(set: ImageSet, statuses: ReadonlyArray<{ name: string; status: ImageStatus }>): string[] {
  const reasons = new Set(statuses.map(({ status }) => (status.ok ? undefined : status.reason)));
  const [reason] = reasons;
  if (statuses.length > 0 && reasons.size === 1 && reason !== undefined) {
    const fix = set === 'local' ? 'build them with `persist images build`' : 'a run with `--images local` needs none of them';
    return [`- Other image set (--images ${set}): none of its ${statuses.length} images is here or can be had (${reason}); ${fix}.`];
  }
  return [
    `Other image set (--images ${set}):`,
    ...statuses.map(({ name, status }) => (status.ok ? `✔   ${name}: ${status.text}` : `  - ${name}: ${status.text}`)),
  ];
}

/** Proves a published port answers here; a problem when it does not. */
async function checkPortReach(toolbox: ImageChoice, ok: Print, problem: Print, print: Print): Promise<void> {
  if (!(await inspectImage(toolbox.reference))) {
    print(`- published ports: not checked (${toolbox.reference} is not on this machine)`);
    return;
  }
  try {
    const reached = await checkPublishedPortsReach(toolbox.reference, runLabels(newRunId(), 'doctor-port-reachability'));
    ok(`published ports reach this machine (a listener answered at ${reached})`);
  } catch (error) {
    problem(describeError(error));
  }
}

async function imageStatus(reference: string, isStandIn: boolean): Promise<ImageStatus> {
  const present = await inspectImage(reference);
  if (present) return { ok: true, text: `${reference} present (${present.id.replace('sha256:', '').slice(0, 12)})` };
  if (isStandIn) return { ok: false, text: `${reference} is not built: run \`persist images build\`.`, reason: 'not built' };
  try {
    await withTimeout(docker().getImage(reference).distribution(), REGISTRY_CHECK_TIMEOUT_MS, 'registry did not answer in 10 s');
    return { ok: true, text: `${reference} not present, pullable (the first run pulls it)` };
  } catch (error) {
    const reason = registryReason(error);
    return {
      ok: false,
      text: `${reference} is not present and cannot be pulled (${reason}): pull it, or use \`--images local\` after \`persist images build\`.`,
      reason,
    };
  }
}

/** The engine wraps registry failures in HTTP noise; the last clause says what happened. */
export function registryReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const cleaned = message.replace(/^\(HTTP code \d+\)\s*[a-z ]*error\s*-\s*/i, '');
  const clauses = cleaned.split(': ').filter(Boolean);
  const tail = clauses.slice(-2).join(': ').trim();
  return tail.length > 100 ? `${tail.slice(0, 97)}…` : tail || 'no answer';
}
