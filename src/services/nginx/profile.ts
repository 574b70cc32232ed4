// nginx: the official image's contract, as src/services/profile.ts describes a service.
import { type ServiceProfile, standIn } from '../profile.ts';
import { githubFile } from '../catalogue-entry.ts';

export const nginx = {
  displayName: 'nginx',
  official: 'nginx:1.27',
  standIn: standIn('persistence-harness/nginx:1.22', 'nginx', 'bookworm'),
  // Serves what it is given: no data of its own. Docker copies the default page into an empty volume once.
  storage: { shippedContent: ['/usr/share/nginx/html'] },
  capabilities: {},
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['nginx'],
      layouts: [{ volumes: [] }],
      source: githubFile('nginx/docker-nginx', '0d7f4380c735af5009aa364e27fafecd958fd4fa', 'mainline/debian/Dockerfile'),
    },
  ],
} as const satisfies ServiceProfile;
