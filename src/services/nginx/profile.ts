// nginx: the official image's contract, as src/services/profile.ts describes a service.
import { type ServiceProfile, standIn } from '../profile.ts';

export const nginx = {
  displayName: 'nginx',
  official: 'nginx:1.27',
  standIn: standIn('persistence-harness/nginx:1.22', 'nginx', 'bookworm'),
  // Serves what it is given: no data of its own. Docker copies the default page into an empty volume once.
  storage: { shippedContent: ['/usr/share/nginx/html'] },
  capabilities: {},
} as const satisfies ServiceProfile;
