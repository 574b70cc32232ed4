// MySQL and MariaDB: the official images' contract, as src/services/profile.ts describes a service.
import { CHECK_DATABASE, firstSet, type LoginOutcome, saysYes, type ServiceEnvironment, type ServiceProfile, standIn } from '../profile.ts';
import { githubFile } from '../catalogue-entry.ts';

/** As the official mysql and mariadb entrypoints read them: root's password, or a user with its database. */
function login(env: ServiceEnvironment): LoginOutcome {
  const database = firstSet(env, 'MYSQL_DATABASE', 'MARIADB_DATABASE');
  const root = firstSet(env, 'MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD');
  if (root !== undefined) return { login: { user: 'root', password: root, database: database ?? CHECK_DATABASE, createDatabase: database === undefined } };
  if (saysYes(env, 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'))
    return { login: { user: 'root', password: '', database: database ?? CHECK_DATABASE, createDatabase: database === undefined } };
  const user = firstSet(env, 'MYSQL_USER', 'MARIADB_USER');
  const password = firstSet(env, 'MYSQL_PASSWORD', 'MARIADB_PASSWORD');
  if (user && password && database) return { login: { user, password, database } };
  return { reason: 'no password for root or for a user with a database is in its environment' };
}

export const mysql = {
  // MySQL's and MariaDB's releases come in X.Y series (8.4 LTS, 11.4): a tag pins the series.
  pinSeries: 'minor',
  displayName: 'MySQL',
  official: 'mysql:8.4',
  standIn: standIn('persistence-harness/mysql:10.11', 'mysql', 'bookworm'),
  // The admin ping exits 0 whenever the server answers, even "access denied". The official
  // mariadb images from 11.0 ship only mariadb-admin; mysql's ship only mysqladmin. Over TCP: on a
  // first start the entrypoint's own server (--skip-networking, root without its password yet)
  // answers on the socket while it initialises, and a seed run then is refused.
  storage: {
    alsoKnownAs: ['mariadb'],
    dataDir: '/var/lib/mysql',
    dataDirFlag: '--datadir',
    readyCommand: ['sh', '-c', 'mariadb-admin ping --silent -h 127.0.0.1 --protocol=tcp 2>/dev/null || mysqladmin ping --silent -h 127.0.0.1 --protocol=tcp'],
  },
  capabilities: {
    database: true,
    crashDrills: true,
    backupSubject: 'mysql',
    login,
    artifacts: true,
    tuning: {
      id: 'mysql-buffer-pool',
      title: 'MySQL with --innodb-buffer-pool-size=1G',
      settings: '--innodb-buffer-pool-size=1G (the default: 128 MiB)',
      claim: 'MySQL tuning: --innodb-buffer-pool-size=1G',
      container: { serverArgs: ['--innodb-buffer-pool-size=1G'] },
    },
  },
  // The official image, and images built FROM it, as their builds say (the audit's facts where it cannot read the image).
  catalogue: [
    {
      repositories: ['mysql'],
      layouts: [{ volumes: ['/var/lib/mysql'] }],
      source: githubFile('docker-library/mysql', '7f30fdb0738041fc5125e8218e393e0a891243e9', '8.4/Dockerfile.oracle'),
    },
    {
      repositories: ['mariadb'],
      layouts: [{ volumes: ['/var/lib/mysql'] }],
      source: githubFile('MariaDB/mariadb-docker', '1b6429ba3544e134715c15f8c56cc6f665f827c9', '11.4/Dockerfile'),
    },
  ],
} as const satisfies ServiceProfile;
