// The seed's Exercise 1: MySQL and WordPress on a user-defined network, each with its volume
// (or none, for the negative controls). Settings are the seed's own.
import mysql2 from 'mysql2/promise';
import { type StartedTestContainer } from 'testcontainers';
import { LoopbackContainer } from '../../docker/loopback-container.ts';
import { mappedPort } from '../../docker/containers.ts';
import type { RunScope } from '../../docker/run-scope.ts';
import { ContainerRunning } from '../running-wait-strategy.ts';

export const DB = { rootPassword: 'rootpass', name: 'wordpress', user: 'wpuser', password: 'wppass', alias: 'mysql' };
const DB_DATA_DIR = '/var/lib/mysql';
const SITE_DIR = '/var/www/html';

/**
 * WordPress stores the address it was installed at; a recreated container gets a new host
 * port and would redirect to the old one. Taking the address from each request keeps the site
 * working on any port (the official image documents WORDPRESS_CONFIG_EXTRA for this).
 */
const FOLLOW_REQUEST_HOST = [
  "if (isset($_SERVER['HTTP_HOST'])) {",
  "  define('WP_HOME', 'http://' . $_SERVER['HTTP_HOST']);",
  "  define('WP_SITEURL', 'http://' . $_SERVER['HTTP_HOST']);",
  '}',
].join('\n');

export interface StackPlan {
  network: string;
  mysqlImage: string;
  wordpressImage: string;
  /** Named volume for /var/lib/mysql, or none. */
  dbVolume: string | undefined;
  /** Named volume for /var/www/html, or none. */
  filesVolume: string | undefined;
}

export interface RunningStack {
  db: StartedTestContainer;
  web: StartedTestContainer;
}

export async function startDatabase(plan: StackPlan, scope: RunScope): Promise<StartedTestContainer> {
  let container = new LoopbackContainer(plan.mysqlImage)
    .withEnvironment({ MYSQL_ROOT_PASSWORD: DB.rootPassword, MYSQL_DATABASE: DB.name, MYSQL_USER: DB.user, MYSQL_PASSWORD: DB.password })
    .withNetworkMode(plan.network)
    .withNetworkAliases(DB.alias)
    .withExposedPorts(3306)
    .withLabels(scope.labels('wordpress-mysql'))
    .withWaitStrategy(new ContainerRunning());
  if (plan.dbVolume) container = container.withBindMounts([{ source: plan.dbVolume, target: DB_DATA_DIR }]);
  const started = await container.start();
  scope.trackContainer(started.getId());
  return started;
}

export async function startWordPress(plan: StackPlan, scope: RunScope): Promise<StartedTestContainer> {
  let container = new LoopbackContainer(plan.wordpressImage)
    .withEnvironment({
      WORDPRESS_DB_HOST: DB.alias,
      WORDPRESS_DB_USER: DB.user,
      WORDPRESS_DB_PASSWORD: DB.password,
      WORDPRESS_DB_NAME: DB.name,
      WORDPRESS_CONFIG_EXTRA: FOLLOW_REQUEST_HOST,
    })
    .withNetworkMode(plan.network)
    .withExposedPorts(80)
    .withLabels(scope.labels('wordpress-site'))
    .withWaitStrategy(new ContainerRunning());
  if (plan.filesVolume) container = container.withBindMounts([{ source: plan.filesVolume, target: SITE_DIR }]);
  const started = await container.start();
  scope.trackContainer(started.getId());
  return started;
}

export async function siteUrl(stack: RunningStack): Promise<string> {
  return `http://${stack.web.getHost()}:${await mappedPort(stack.web.getId(), 80)}`;
}

/** A file placed in wp-content, as a user's plugin would be; it prints its token when fetched. */
export const PLUGIN_PATH = '/wp-content/plugins/harness-marker/harness-marker.php';

export async function addPlugin(stack: RunningStack, token: string): Promise<void> {
  const content = `<?php\n/*\nPlugin Name: Harness marker\nDescription: Proves that wp-content survives.\n*/\necho 'harness-marker:${token}';\n`;
  await stack.web.copyContentToContainer([{ content, target: `${SITE_DIR}${PLUGIN_PATH}`, mode: 0o644 }]);
}

export interface PostRow {
  id: number;
  title: string;
  type: string;
}

/** The posts' rows as the database has them, or undefined when WordPress's tables are absent. */
export async function readPostRows(stack: RunningStack, ids: number[]): Promise<PostRow[] | undefined> {
  const connection = await connectAsRoot(stack, DB.name);
  try {
    const [rows] = await connection.query<mysql2.RowDataPacket[]>(
      'SELECT ID AS id, post_title AS title, post_type AS type FROM wp_posts WHERE ID IN (?) ORDER BY ID',
      [ids],
    );
    return rows.map((r) => ({ id: Number(r.id), title: String(r.title), type: String(r.type) }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return undefined;
    throw error;
  } finally {
    connection.destroy();
  }
}

export async function databaseVersion(stack: RunningStack): Promise<string> {
  const connection = await connectAsRoot(stack);
  try {
    const [rows] = await connection.query<mysql2.RowDataPacket[]>('SELECT VERSION() AS version');
    const version = String(rows[0]?.version ?? 'unknown');
    return `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version}`;
  } finally {
    connection.destroy();
  }
}

/** The stack's database as root, over its published port (which changes on every recreate). */
async function connectAsRoot(stack: RunningStack, database?: string): Promise<mysql2.Connection> {
  return mysql2.createConnection({
    host: stack.db.getHost(),
    port: await mappedPort(stack.db.getId(), 3306),
    user: 'root',
    password: DB.rootPassword,
    ...(database ? { database } : {}),
    connectTimeout: 5_000,
  });
}
