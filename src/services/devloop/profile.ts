// The seed's development-loop apps: images a developer builds from the seed's files (their
// Dockerfiles on node:22-alpine and python:3.12-slim), built here from the same files on Debian,
// the same image in both image sets.
import { type ServiceProfile, standIn } from '../profile.ts';

export const node = {
  displayName: "Node live-reload app (the seed's server.js under nodemon)",
  builtHere: true,
  official: 'persistence-harness/devloop-node:bookworm',
  standIn: standIn('persistence-harness/devloop-node:bookworm', 'devloop-node', 'bookworm'),
  storage: { dataDir: '/app' },
  capabilities: {},
} as const satisfies ServiceProfile;

export const flask = {
  displayName: "Flask app (the seed's app.py, debug=True; Werkzeug's stat reloader)",
  builtHere: true,
  official: 'persistence-harness/devloop-flask:bookworm',
  standIn: standIn('persistence-harness/devloop-flask:bookworm', 'devloop-flask', 'bookworm'),
  storage: { dataDir: '/app' },
  capabilities: {},
} as const satisfies ServiceProfile;

export const flaskWatchdog = {
  displayName: "Flask app with watchdog installed (Werkzeug's event reloader)",
  builtHere: true,
  official: 'persistence-harness/devloop-flask:bookworm-watchdog',
  standIn: standIn('persistence-harness/devloop-flask:bookworm-watchdog', 'devloop-flask', 'bookworm', { RELOADER_PACKAGES: 'python3-watchdog' }),
  storage: { dataDir: '/app' },
  capabilities: {},
} as const satisfies ServiceProfile;
