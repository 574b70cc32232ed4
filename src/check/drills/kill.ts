// A SIGKILL to every container while the databases commit, then `up`: it leaves the containers as
// a restart does (only their memory and tmpfs go), so it is judged against the audit's restart.
import { type CheckDrill, EVERY_SERVICE, outcome } from './check-drill.ts';

export const kill: CheckDrill = {
  ...EVERY_SERVICE,
  name: 'kill',
  commands: 'docker compose kill -s SIGKILL, then docker compose up -d --wait',
  predictedAs: 'restart',
  underWriteLoad: true,
  run: async (stack) => outcome(await stack.killAll()),
};
