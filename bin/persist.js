#!/usr/bin/env node
// The `persist` command: runs the TypeScript CLI as it is. Node strips the types itself where it
// can (22.18 and later, for files outside node_modules; the code uses erasable syntax only), which
// starts the command in less time than a loader does; elsewhere (a global install under
// node_modules) tsx loads it. A Node older than package.json's engines gets one sentence first.
import { exitIfTooOld } from './node-check.js';

exitIfTooOld();
const native = Boolean(process.features.typescript) && !import.meta.url.includes('/node_modules/');
if (!native) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('../src/cli.ts');
