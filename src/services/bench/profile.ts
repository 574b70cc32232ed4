// The benchmark tools (fio and sysbench), built here: no official image carries them.
import { type ServiceProfile, standIn } from '../profile.ts';

export const bench = {
  displayName: 'bench (fio and sysbench)',
  builtHere: true,
  official: 'persistence-harness/bench:bookworm',
  standIn: standIn('persistence-harness/bench:bookworm', 'bench', 'bookworm'),
  storage: {},
  capabilities: {},
} as const satisfies ServiceProfile;
