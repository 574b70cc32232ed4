// `down` then `up`: the containers and the network removed and made again; volumes stay.
import { composeLifecycle } from './check-drill.ts';

export const downUp = composeLifecycle('down + up', 'docker compose down, then docker compose up -d --wait');
