#!/usr/bin/env node
// The `persist` command: runs the TypeScript CLI through tsx, so it works from a clone,
// an npm link or a global install alike.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
