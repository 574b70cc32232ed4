// RabbitMQ: the official image's contract, as src/services/profile.ts describes a service.
import { firstSet, type LoginOutcome, type ServiceEnvironment, type ServiceProfile, standIn } from '../profile.ts';
import { githubFile } from '../catalogue-entry.ts';

/**
 * As the official image's server reads them on a node's first start: RABBITMQ_DEFAULT_USER and
 * RABBITMQ_DEFAULT_PASS. Without them the user is guest, which RabbitMQ lets in from loopback only.
 */
function login(env: ServiceEnvironment): LoginOutcome {
  const user = firstSet(env, 'RABBITMQ_DEFAULT_USER');
  const password = firstSet(env, 'RABBITMQ_DEFAULT_PASS');
  if (user === undefined && password === undefined)
    return { reason: 'it sets no RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS, and its default user guest may only connect from inside the container' };
  if (password === undefined) return { reason: 'its password is not in its environment (RABBITMQ_DEFAULT_PASS_FILE or a definitions file?)' };
  return { login: { user: user ?? 'guest', password, database: undefined } };
}

export const rabbitmq = {
  displayName: 'RabbitMQ',
  official: 'rabbitmq:4-management',
  standIn: standIn('persistence-harness/rabbitmq:3.10', 'rabbitmq', 'bookworm'),
  storage: {
    dataDir: '/var/lib/rabbitmq',
    // The node's data is mnesia/rabbit@<host name>: Docker gives every new container its id as host name.
    dataUnderHostname: { folder: 'mnesia/rabbit@<host name>', nodeNameEnv: 'RABBITMQ_NODENAME' },
    // The node's folders exist once it has booted. (Not rabbitmq-diagnostics: run as root before the
    // server, the Erlang CLI would write a root-owned .erlang.cookie the server then cannot read.)
    readyCommand: ['test', '-d', '/var/lib/rabbitmq/mnesia'],
  },
  capabilities: { database: true, login },
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['rabbitmq'],
      note: 'the node keeps its database in a folder named after the node, rabbit@HOSTNAME: a container with another hostname starts on an empty one',
      layouts: [{ volumes: ['/var/lib/rabbitmq'], env: { RABBITMQ_DATA_DIR: '/var/lib/rabbitmq' } }],
      source: githubFile('docker-library/rabbitmq', '9193c1de6d32046e0c1132841a7a4995b0dc32e0', '4.1/ubuntu/Dockerfile'),
    },
  ],
} as const satisfies ServiceProfile;
