// The seed's volume management operations, each proven against the engine: create with labels
// and driver options (including the local driver's bind form), list by label, inspect the
// mountpoint, find the containers using a volume, refuse to remove one in use, and prune only
// what a label selects. A decoy volume shows each selection leaves other volumes alone.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, statusCode } from '../docker/engine.ts';
import type { RunScope } from '../docker/run-scope.ts';
import type { CellResult, ItemOutcome, Observation } from '../report/model.ts';
import { idleContainer } from '../targets/toolbox.ts';
import { itemsRecord, type TrialRecord } from '../drill/assemble.ts';
import { type ImageDrillContext, identify, runDrill } from '../drill/drill.ts';
import { PhaseTimer } from '../timing/clock.ts';

export const VOLUME_ITEMS = [
  'created with labels and driver options',
  'bind-form volume writes to its host folder',
  'listed by its label',
  'decoy not listed by that label',
  'mountpoint holds the data',
  'containers using it found',
  'removal while in use',
  'removal once unused',
  'prune by label removes the labelled volume',
  'prune by label keeps the decoy',
] as const;
export type VolumeItem = (typeof VOLUME_ITEMS)[number];

export type VolumeContext = ImageDrillContext;

export async function runVolumeManagementChecks(scenario: string, expected: Record<VolumeItem, Observation>, context: VolumeContext): Promise<CellResult> {
  const identity = identify(
    { target: 'docker', storage: 'named-volume', disruption: 'none', variant: 'volume-management' },
    { scenario, title: 'Volume management operations', expected: 'survives' },
  );
  return runDrill({ identity, image: context.image.reference, runTrial: (trial, scope) => runTrial(expected, context, trial, scope) }, context);
}

/** What every step of one trial shares; the volumes it made are kept as it goes. */
interface Trial {
  scope: RunScope;
  context: VolumeContext;
  /** A label only this trial's volumes carry: prune selects by it, so nothing else can be hit. */
  group: Record<string, string>;
  selector: string;
  observed: Partial<Record<VolumeItem, Observation>>;
  evidence: string[];
  timer: PhaseTimer;
}

interface Volumes {
  data: string;
  bindForm: string;
  decoy: string;
  folder: string;
  driver: string;
}

async function runTrial(expected: Record<VolumeItem, Observation>, context: VolumeContext, trial: number, scope: RunScope): Promise<TrialRecord> {
  const groupValue = `volumes-${randomBytes(6).toString('hex')}`;
  const t: Trial = {
    scope,
    context,
    group: { 'persistence-harness.check': groupValue },
    selector: `persistence-harness.check=${groupValue}`,
    observed: {},
    evidence: [],
    timer: new PhaseTimer(),
  };
  const volumes = await createVolumes(t);
  const user = await useFromContainer(t, volumes);
  await listAndInspect(t, volumes, user);
  await removeVolumes(t, volumes, user);
  await pruneByLabel(t, volumes);
  const { observed } = t;
  const items: ItemOutcome[] = VOLUME_ITEMS.map((item) => ({ item, expected: expected[item], observed: observed[item] ?? 'absent' }));
  return itemsRecord({
    trial,
    items,
    observed: observed['prune by label keeps the decoy'] === 'survives' ? 'survives' : 'lost',
    measurements: t.timer.measurements,
    imageId: (await docker().getImage(context.image.reference).inspect()).Id,
    serverVersion: `Docker engine, volume driver ${volumes.driver}`,
    evidence: t.evidence,
  });
}

/** create: a labelled volume with driver options, the local driver's bind form, and an unlabelled decoy. */
async function createVolumes(t: Trial): Promise<Volumes> {
  // create: a labelled volume with driver options, and the local driver's bind form.
  const data = t.scope.uniqueName('managed');
  await t.timer.measure('docker volume create', () =>
    docker().createVolume({
      Name: data,
      Driver: 'local',
      Labels: { ...t.scope.labels('volume-management'), ...t.group, tier: 'data' },
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=8m' },
    }),
  );
  t.scope.trackVolume(data);
  const inspected = await docker().getVolume(data).inspect();
  t.observed['created with labels and driver options'] = inspected.Labels?.tier === 'data' && inspected.Options?.o === 'size=8m' ? 'visible' : 'absent';
  t.evidence.push(`inspect ${data}: driver ${inspected.Driver}, labels tier=${inspected.Labels?.tier}, options ${JSON.stringify(inspected.Options)}`);

  const folder = await t.scope.createHostFolder('bind-form');
  const bindForm = t.scope.uniqueName('bind-form');
  await t.timer.measure('docker volume create', () =>
    docker().createVolume({
      Name: bindForm,
      Driver: 'local',
      Labels: { ...t.scope.labels('volume-management'), ...t.group },
      DriverOpts: { type: 'none', o: 'bind', device: folder },
    }),
  );
  t.scope.trackVolume(bindForm);

  // A decoy with no labels at all, like a user's own volume. It is named with the run id, so
  // the run's sweep finds it even if this trial is interrupted.
  const decoy = t.scope.uniqueName('decoy');
  await docker().createVolume({ Name: decoy });
  t.scope.trackVolume(decoy);

  return { data, bindForm, decoy, folder, driver: inspected.Driver };
}

/** Both volumes used from a container, as an application would. */
async function useFromContainer(t: Trial, { data, bindForm, folder }: Volumes): Promise<{ id: string; token: string }> {
  const token = randomBytes(8).toString('hex');
  const user = await idleContainer(t.context.image.reference)
    .withBindMounts([
      { source: data, target: '/data' },
      { source: bindForm, target: '/bound' },
    ])
    .withLabels(t.scope.labels('volume-user'))
    .start();
  t.scope.trackContainer(user.getId());
  await user.exec(['sh', '-c', `printf %s ${token} > /data/token && printf %s ${token} > /bound/token`]);
  const onHost = await readFile(join(folder, 'token'), 'utf8').catch(() => '');
  t.observed['bind-form volume writes to its host folder'] = onHost === token ? 'visible' : 'absent';
  t.evidence.push(
    `bind form (type=none,o=bind,device=${folder}): ${onHost === token ? 'the file written in the container is in the host folder' : 'the host folder does not have the file'}`,
  );

  return { id: user.getId(), token };
}

/** list by label, inspect the mountpoint, find the containers that use a volume. */
async function listAndInspect(t: Trial, { data, bindForm, decoy }: Volumes, user: { id: string; token: string }): Promise<void> {
  const { token } = user;
  // list, filtered by label
  const listed = await t.timer.measure(
    'docker volume ls --filter label=…',
    async () => (await docker().listVolumes({ filters: { label: [t.selector] } })).Volumes?.map((v) => v.Name) ?? [],
  );
  t.observed['listed by its label'] = listed.includes(data) && listed.includes(bindForm) ? 'visible' : 'absent';
  t.observed['decoy not listed by that label'] = listed.includes(decoy) ? 'visible' : 'absent';
  t.evidence.push(`volumes with ${t.selector}: ${listed.join(', ') || 'none'}`);

  // inspect: the mountpoint is where the data is (readable when the engine is on this host).
  const mountpoint = (await docker().getVolume(bindForm).inspect()).Mountpoint;
  const atMountpoint = await readFile(join(mountpoint, 'token'), 'utf8').catch(() => '');
  t.observed['mountpoint holds the data'] = atMountpoint === token ? 'visible' : 'absent';
  t.evidence.push(
    `mountpoint of ${bindForm}: ${mountpoint} (${atMountpoint === token ? 'holds the file' : 'does not hold the file, or is not readable from here'})`,
  );

  // which containers use a volume: docker ps --filter volume=…
  const users: string[] = await t.timer.measure('docker ps --filter volume=…', async () =>
    (await docker().listContainers({ all: true, filters: { volume: [data] } })).map((c) => c.Id),
  );
  t.observed['containers using it found'] = users.includes(user.id) ? 'visible' : 'absent';
  t.evidence.push(`containers using ${data}: ${users.map((u) => u.slice(0, 12)).join(', ') || 'none'}`);
}

/** remove while in use (refused, and why), then once unused. */
async function removeVolumes(t: Trial, { data, bindForm }: Volumes, user: { id: string }): Promise<void> {
  // remove while in use: Docker refuses, and says why.
  const inUse = await t.timer.measure('docker volume rm', () => removal(data));
  t.observed['removal while in use'] = inUse.refused ? 'refused' : 'allowed';
  t.evidence.push(`docker volume rm ${data} while in use: ${inUse.refused ? `refused (${inUse.message})` : 'allowed'}`);

  await docker().getContainer(user.id).remove({ force: true, v: true });
  const unused = await t.timer.measure('docker volume rm', () => removal(bindForm));
  t.observed['removal once unused'] = unused.refused ? 'refused' : 'allowed';
  t.evidence.push(`docker volume rm ${bindForm} once unused: ${unused.refused ? `refused (${unused.message})` : 'allowed'}`);
}

async function pruneByLabel(t: Trial, { data, decoy }: Volumes): Promise<void> {
  // prune, selected by the label: an unused labelled volume goes, the decoy stays. (Docker
  // 20.10 was seen to leave volumes created with driver options alone: reported, not judged.)
  const prunable = t.scope.uniqueName('prunable');
  await docker().createVolume({ Name: prunable, Labels: { ...t.scope.labels('volume-management'), ...t.group } });
  t.scope.trackVolume(prunable);
  const pruned = await t.timer.measure(
    'docker volume prune --filter label=…',
    async () => (await docker().pruneVolumes({ filters: { label: [t.selector] } })).VolumesDeleted ?? [],
  );
  const exists = async (name: string) =>
    docker()
      .getVolume(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  t.observed['prune by label removes the labelled volume'] = (await exists(prunable)) ? 'survives' : 'lost';
  t.observed['prune by label keeps the decoy'] = (await exists(decoy)) ? 'survives' : 'lost';
  t.evidence.push(
    `docker volume prune --filter label=${t.selector} removed: ${pruned.join(', ') || 'nothing'}; the decoy ${t.observed['prune by label keeps the decoy'] === 'survives' ? 'is still there' : 'was removed'}`,
  );
  t.evidence.push(`the unused volume created with driver options (${data}) was ${(await exists(data)) ? 'kept' : 'removed'} by that prune`);
}

async function removal(name: string): Promise<{ refused: boolean; message: string }> {
  try {
    await docker().getVolume(name).remove();
    return { refused: false, message: '' };
  } catch (error) {
    if (statusCode(error) === 409) {
      const message = (error instanceof Error ? error.message : String(error)).replace(/^\(HTTP code 409\)\s*[a-z ]*-\s*/i, '').split('\n')[0] ?? '';
      return { refused: true, message: message.trim() };
    }
    throw error;
  }
}
