// The reference registry (Debian's docker-registry, the CNCF distribution) started on this
// machine's loopback for a test, its storage in a folder of its own, every request in its access
// log. Images are pushed to it from the engine with skopeo under the test's own references.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePortOn } from '../../src/docker/free-port.ts';
import { deadlineIn, sleep } from '../../src/timing/clock.ts';

export interface LocalRegistry {
  /** `127.0.0.1:PORT`: the host part of a reference to it. */
  host: string;
  push(localImage: string, repositoryAndTag: string): Promise<void>;
  /** The requests it has answered, as `METHOD /v2/…`, oldest first. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A user and password the registry asks for (htpasswd, bcrypt): every request needs them. */
export interface RegistryLogin {
  user: string;
  password: string;
}

export async function startLocalRegistry(login?: RegistryLogin): Promise<LocalRegistry> {
  const folder = await mkdtemp(join(tmpdir(), 'persist-registry-'));
  const port = await freePortOn('127.0.0.1');
  if (!port) throw new Error('no free port on 127.0.0.1 for the test registry');
  const host = `127.0.0.1:${port}`;
  const auth: string[] = [];
  if (login) {
    const htpasswd = await execa('htpasswd', ['-Bbn', login.user, login.password]);
    await writeFile(join(folder, 'htpasswd'), htpasswd.stdout);
    auth.push('auth:', '  htpasswd:', '    realm: persist-test', `    path: ${join(folder, 'htpasswd')}`);
  }
  const config = [
    'version: 0.1',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(folder, 'data')}`,
    'http:',
    `  addr: ${host}`,
    ...auth,
    'log:',
    '  level: info',
    '',
  ];
  await writeFile(join(folder, 'config.yml'), config.join('\n'));
  const logFile = join(folder, 'registry.log');
  let exited = false;
  const server: ResultPromise = execa('docker-registry', ['serve', join(folder, 'config.yml')], {
    reject: false,
    stdout: { file: logFile },
    stderr: { file: logFile },
  });
  void server.finally(() => {
    exited = true;
  });
  const deadline = deadlineIn(15_000);
  for (;;) {
    const answer = await fetch(`http://${host}/v2/`).catch(() => undefined);
    // A registry that asks for a login answers 401 once it is up.
    if (answer?.ok || (login && answer?.status === 401)) break;
    if (deadline.passed() || exited) throw new Error(`the test registry did not answer on ${host}: ${await readFile(logFile, 'utf8').catch(() => '')}`);
    await sleep(100);
  }
  return {
    host,
    async push(localImage, repositoryAndTag) {
      const creds = login ? ['--dest-creds', `${login.user}:${login.password}`] : [];
      await execa('skopeo', ['copy', '--dest-tls-verify=false', ...creds, `docker-daemon:${localImage}`, `docker://${host}/${repositoryAndTag}`]);
    },
    async requests() {
      const log = await readFile(logFile, 'utf8');
      return [...log.matchAll(/"(HEAD|GET|PUT|POST|PATCH|DELETE) (\/v2\/[^ ]*) HTTP/g)].map((match) => `${match[1]} ${match[2]}`);
    },
    async stop() {
      server.kill('SIGTERM');
      await server;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
