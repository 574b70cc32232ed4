// The scenarios `persist run` knows, by the names users type. Each is one file in scenarios/.
import type { ImageTarget, UpgradePairName } from './config.ts';
import { UsageError } from './errors.ts';
import { crashDrillServices } from './services/registry.ts';

export interface ScenarioInfo {
  name: string;
  file: string;
  /** The images it starts, checked before any container is created. */
  images: ImageTarget[];
  /** The upgrade pairs whose old and new images it starts, checked the same way. */
  upgrades?: UpgradePairName[];
  summary: string;
  /** It measures the machine (the benchmarks): run after the others, never beside another file. */
  alone?: true;
  /** It cuts disks' power (loop devices and mounts on the engine host): not run where that cannot be done. */
  needsPowerCuts?: true;
  /**
   * About how long the file takes, one trial, beside another on 2 cores (the suite at b80f5aa):
   * where vitest has no duration of its own yet, the longest start first, so files run side by
   * side end together instead of the longest starting last and running alone.
   */
  typicalSeconds: number;
}

export const SCENARIOS: ScenarioInfo[] = [
  {
    name: 'postgres',
    typicalSeconds: 161,
    file: 'scenarios/postgres.test.ts',
    images: ['postgres'],
    summary: 'PostgreSQL data on a named volume, a bind mount, tmpfs and the writable layer, through restart and recreate; wrong-mount-path control.',
  },
  {
    name: 'mysql',
    typicalSeconds: 122,
    file: 'scenarios/mysql.test.ts',
    images: ['mysql'],
    summary: 'MySQL (or the MariaDB stand-in) data on each storage type, through restart and recreate; wrong-mount-path control.',
  },
  {
    name: 'redis',
    typicalSeconds: 44,
    file: 'scenarios/redis.test.ts',
    images: ['redis'],
    summary:
      'Redis with its AOF on each storage type, through restart and recreate; SIGKILL under load with appendfsync always; wrong-mount-path and data-outside-the-volume controls.',
  },
  {
    name: 'rabbitmq',
    typicalSeconds: 423,
    file: 'scenarios/rabbitmq.test.ts',
    images: ['rabbitmq'],
    summary:
      'RabbitMQ durable queues with persistent messages on each storage type, through restart and recreate; controls: a host name not pinned (a new, empty node on the same volume), transient messages, wrong mount path.',
  },
  {
    name: 'wordpress',
    typicalSeconds: 76,
    file: 'scenarios/wordpress.test.ts',
    images: ['mysql', 'wordpress'],
    summary: "The seed's WordPress exercise: posts, media and a plugin through a recreate of both containers; without each volume, what it protects.",
  },
  {
    name: 'tmpfs',
    typicalSeconds: 10,
    file: 'scenarios/tmpfs.test.ts',
    images: ['toolbox'],
    summary:
      'tmpfs "sticky notes": readable while running, never on disk, gone after a stop and start; size= and noexec enforced; a control without the mounts.',
  },
  {
    name: 'shared',
    typicalSeconds: 46,
    file: 'scenarios/shared.test.ts',
    images: ['toolbox', 'nginx'],
    summary: 'Producer, consumer and nginx on one volume: every line in order to both readers, through recreates; propagation delays and stop times.',
  },
  {
    name: 'bind',
    typicalSeconds: 14,
    file: 'scenarios/bind.test.ts',
    images: ['toolbox', 'nginx'],
    summary: 'Bind mounts: the same bytes both ways, live edits served, :ro folder and nginx.conf:ro, permission denied and both fixes, the node_modules mask.',
  },
  {
    name: 'volumes',
    typicalSeconds: 1,
    file: 'scenarios/volumes.test.ts',
    images: ['toolbox'],
    summary:
      'Volume management: create with labels and options (bind form too), list by label, inspect, find users, refused removal in use, prune by label with a decoy.',
  },
  {
    name: 'devloop',
    typicalSeconds: 88,
    file: 'scenarios/devloop.test.ts',
    images: ['node', 'flask', 'flask_watchdog'],
    summary:
      "The seed's live-reload loop through a bind mount: nodemon and Flask's reloader, each edit timed until served, restarts, a save by rename, a new file, a syntax error; the missing node_modules volume; controls with the source baked in and a named volume at /app.",
  },
  {
    name: 'backup',
    typicalSeconds: 387,
    file: 'scenarios/backup.test.ts',
    images: ['postgres', 'mysql', 'wordpress', 'toolbox'],
    summary:
      'Backup drills: helper tar (hot and quiesced), native dumps, volume copy, the rotating script and your own procedure, each restored into a new volume and proven; RTO and RPO.',
  },
  {
    name: 'crash',
    typicalSeconds: 149,
    file: 'scenarios/crash.test.ts',
    images: crashDrillServices(),
    summary:
      'SIGKILL under write load: every acknowledged write survives on a named volume and a bind mount; relaxed durability must lose some (control). Stop-mode matrix: docker stop, kill and restart under load, clean shutdown or crash recovery, and how long until the server answers.',
  },
  {
    name: 'power-loss',
    typicalSeconds: 175,
    file: 'scenarios/power-loss.test.ts',
    images: [...crashDrillServices(), 'toolbox'],
    // A host-wide sync from another file (a file probe's, a build's) would write a pending cut's
    // disk too: the cuts run with no other file beside them.
    alone: true,
    needsPowerCuts: true,
    summary:
      "Each database on a disk of its own, SIGKILL and a power cut (an atomic copy of what the disk held) side by side for each durability setting: PostgreSQL's fsync and synchronous_commit, InnoDB's flush_log_at_trx_commit, Redis's appendfsync and snapshots. Controls: settings that survive only a process crash must lose under the cut; a sync before the cut must keep everything acknowledged before it. A crash-consistent disk snapshot of a running database beside a hot tar of the same kind of volume.",
  },
  {
    name: 'upgrade',
    typicalSeconds: 98,
    file: 'scenarios/upgrade.test.ts',
    images: ['mysql'],
    upgrades: ['postgres', 'mysql', 'wordpress', 'moved-data-path'],
    summary:
      'Major upgrades on the same volume: PostgreSQL refuses old data (the dump and restore path proven instead), MySQL/MariaDB upgrades in place, WordPress serves the same posts and media; a newer image with another data path must be reported as starting empty (control).',
  },
  {
    name: 'performance',
    typicalSeconds: 185,
    file: 'scenarios/performance.test.ts',
    images: ['bench', 'postgres', 'mysql'],
    alone: true,
    summary:
      "The seed's performance claims measured: fio, pgbench and sysbench on each storage type, its tuning flags with and without, space and block I/O; a throttled disk must be seen (control).",
  },
];

/** No filter selects every scenario; an unknown name is a usage error that lists the known ones. */
export function selectScenarios(filters: string[]): ScenarioInfo[] {
  if (filters.length === 0) return SCENARIOS;
  const unknown = filters.filter((f) => !SCENARIOS.some((s) => s.name === f));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
      `Known scenarios: ${SCENARIOS.map((s) => s.name).join(', ')} (see \`persist list\`).`,
    );
  }
  return SCENARIOS.filter((s) => filters.includes(s.name));
}
