// Redis: the official image's contract, as src/services/profile.ts describes a service.
import { firstSet, type LoginOutcome, type ServiceEnvironment, type ServiceProfile, standIn } from '../profile.ts';
import { githubFile } from '../catalogue-entry.ts';

/** The password given to redis-server (--requirepass), else REDIS_PASSWORD as many setups pass it; none is a login too. */
function login(env: ServiceEnvironment, command: readonly string[] | null): LoginOutcome {
  const flag = command?.indexOf('--requirepass') ?? -1;
  const password = flag >= 0 ? command?.[flag + 1] : firstSet(env, 'REDIS_PASSWORD');
  return { login: { user: 'default', password: password ?? '', database: undefined } };
}

export const redis = {
  displayName: 'Redis',
  official: 'redis:7',
  standIn: standIn('persistence-harness/redis:7.0', 'redis', 'bookworm'),
  storage: { dataDir: 'workdir', dataDirFlag: '--dir', cacheUnless: ['--appendonly', '--save'], readyCommand: ['redis-cli', 'ping'] },
  capabilities: {
    database: true,
    crashDrills: true,
    login,
    artifacts: true,
  },
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['redis'],
      layouts: [{ volumes: ['/data'], workingDir: '/data' }],
      source: githubFile('docker-library/redis', 'e92049967d6baa9b4b3d6fd950553e6458e61f13', '7.2/debian/Dockerfile'),
    },
  ],
} as const satisfies ServiceProfile;
