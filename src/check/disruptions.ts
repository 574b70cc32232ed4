// What `persist check` does to a copy of the project, in Compose's own terms, in this order:
// each lifecycle command the audit predicts, a SIGKILL, the user's backup and restore, `down -v`
// (the control that must lose what the project's volumes hold), and the user's upgrade last, so
// that every other disruption runs on the project as it is configured today.
import type { Lifecycle } from '../compose/storage-map.ts';
import type { CheckDisruption } from '../report/vocabulary.ts';

export { CHECK_DISRUPTIONS, type CheckDisruption } from '../report/vocabulary.ts';

/**
 * The audit's lifecycle command whose prediction a disruption is judged against: a SIGKILL
 * leaves the container as a restart does (only its memory and tmpfs go); a backup and restore
 * is the user's own procedure, which the audit cannot read, so nothing is predicted.
 */
export function predictedAs(disruption: CheckDisruption): Lifecycle | undefined {
  if (disruption === 'kill') return 'restart';
  if (disruption === 'backup-restore') return undefined;
  return disruption;
}

/** What each disruption runs, for the report's phase definitions and the progress lines. */
export const DISRUPTION_COMMANDS: Record<CheckDisruption, string> = {
  restart: 'docker compose restart',
  kill: 'docker compose kill -s SIGKILL, then docker compose up -d --wait',
  'up --force-recreate': 'docker compose up -d --wait --force-recreate',
  'down + up': 'docker compose down, then docker compose up -d --wait',
  upgrade: "docker compose up -d --wait with the upgraded services' new images",
  'backup-restore': 'your backup command, docker compose down -v, docker compose up -d --wait, your restore command',
  'down -v + up': 'docker compose down -v, then docker compose up -d --wait',
};
