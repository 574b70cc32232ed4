// `up --force-recreate`: new containers on the same volumes, what a changed image or setting brings.
import { composeLifecycle } from './check-drill.ts';

export const forceRecreate = composeLifecycle('up --force-recreate', 'docker compose up -d --wait --force-recreate');
