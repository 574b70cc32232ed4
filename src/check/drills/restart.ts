// `docker compose restart`: the same containers stopped and started again.
import { composeLifecycle } from './check-drill.ts';

export const restart = composeLifecycle('restart', 'docker compose restart');
