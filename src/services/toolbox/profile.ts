// The helper shell the drills write files, copy volumes and take tar backups with.
import { type ServiceProfile, standIn } from '../profile.ts';

export const toolbox = {
  displayName: 'toolbox (helper shell)',
  official: 'alpine:3.20',
  standIn: standIn('persistence-harness/toolbox:bookworm', 'toolbox', 'bookworm'),
  storage: {},
  capabilities: {},
} as const satisfies ServiceProfile;
