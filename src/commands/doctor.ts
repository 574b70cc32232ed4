// `persist doctor`: what would stop a run on this machine, each problem with its fix.
import { IMAGE_SETS, chooseImages, chooseUpgrades, loadConfig, type ImageChoice, type ImageSet } from '../config.ts';
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
    for (const set of [config.imageSet, ...IMAGE_SETS.filter((s) => s !== config.imageSet)] as ImageSet[]) {
      const selected = set === config.imageSet;
      print(`${selected ? 'Images for this run' : 'Other image set'} (--images ${set}):`);
      const images = selected ? config.images : chooseImages(set, {});
      const upgrades = selected ? config.upgrades : chooseUpgrades(set, {});
      // The upgrade drills' images, old and new of each pair; an image in two places is checked once.
      const checks = [
        ...Object.values(images).map((choice) => ({ name: choice.target, reference: choice.reference, standIn: choice.source === 'local' })),
        ...Object.values(upgrades).flatMap((pair) =>
          [pair.from, pair.to].map((reference, k) => ({
            name: `${pair.name} upgrade, ${k === 0 ? 'old' : 'new'}`,
            reference,
            standIn: pair.source === 'local',
          })),
        ),
      ];
      const seen = new Set<string>();
      for (const check of checks) {
        if (seen.has(check.reference)) continue;
        seen.add(check.reference);
        const line = await imageStatus(check.reference, check.standIn);
        if (line.ok) ok(`  ${check.name}: ${line.text}`);
        else if (selected) problem(`  ${check.name}: ${line.text}`);
        else print(`  - ${check.name}: ${line.text}`);
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

async function imageStatus(reference: string, isStandIn: boolean): Promise<{ ok: boolean; text: string }> {
  const present = await inspectImage(reference);
  if (present) return { ok: true, text: `${reference} present (${present.id.replace('sha256:', '').slice(0, 12)})` };
  if (isStandIn) return { ok: false, text: `${reference} is not built: run \`persist images build\`.` };
  try {
    await withTimeout(docker().getImage(reference).distribution(), REGISTRY_CHECK_TIMEOUT_MS, 'registry did not answer in 10 s');
    return { ok: true, text: `${reference} not present, pullable (the first run pulls it)` };
  } catch (error) {
    return {
      ok: false,
      text: `${reference} is not present and cannot be pulled (${registryReason(error)}): pull it, or use \`--images local\` after \`persist images build\`.`,
    };
  }
}

/** The engine wraps registry failures in HTTP noise; the last clause says what happened. */
export function registryReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const cleaned = message.replace(/^\(HTTP code \d+\)\s*[a-z ]*error\s*-\s*/i, '');
  const clauses = cleaned.split(': ').filter(Boolean);
  const tail = clauses.slice(-2).join(': ');
  return tail.length > 100 ? `${tail.slice(0, 97)}…` : tail || 'no answer';
}
