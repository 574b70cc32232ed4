// The seed's Exercise 1: MySQL and WordPress on a user-defined network, each with its volume
// (or none, for the negative controls). Settings are the seed's own.
import mysql2 from 'mysql2/promise';
import { HostOnlyContainer } from '../../docker/host-only-container.ts';
import { execIn } from '../../docker/exec.ts';
import type { RunScope } from '../../docker/run-scope.ts';
import { HarnessError } from '../../errors.ts';
import { HarnessStack } from '../../stack/harness-stack.ts';
import type { Stack } from '../../stack/stack.ts';
import type { SiteServices } from '../sites.ts';
import { ContainerRunning } from '../../docker/running-wait-strategy.ts';

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

/** The two services' names in the stack. */
export const WEB = 'wordpress';
export const DATABASE = 'db';

/** The harness's own site: its two services, and root reading the rows (a user's site is theirs, in `persist check`). */
export const HARNESS_SITE: SiteServices = { web: WEB, database: DATABASE, login: { user: 'root', password: DB.rootPassword, database: DB.name } };

/**
 * The seed's two containers as a stack. The plan is read each time a container is made, so an
 * upgrade drill swaps the WordPress image by changing plan.wordpressImage before `up`.
 */
export function startWordPressStack(plan: StackPlan, scope: RunScope): Promise<Stack> {
  return HarnessStack.start(scope, 'wordpress', { [DATABASE]: () => databaseContainer(plan), [WEB]: () => wordpressContainer(plan) });
}

function databaseContainer(plan: StackPlan) {
  const container = new HostOnlyContainer(plan.mysqlImage)
    .withEnvironment({ MYSQL_ROOT_PASSWORD: DB.rootPassword, MYSQL_DATABASE: DB.name, MYSQL_USER: DB.user, MYSQL_PASSWORD: DB.password })
    .withNetworkMode(plan.network)
    .withNetworkAliases(DB.alias)
    .withExposedPorts(3306)
    .withWaitStrategy(new ContainerRunning());
  return plan.dbVolume ? container.withBindMounts([{ source: plan.dbVolume, target: DB_DATA_DIR }]) : container;
}

function wordpressContainer(plan: StackPlan) {
  const container = new HostOnlyContainer(plan.wordpressImage)
    .withEnvironment({
      WORDPRESS_DB_HOST: DB.alias,
      WORDPRESS_DB_USER: DB.user,
      WORDPRESS_DB_PASSWORD: DB.password,
      WORDPRESS_DB_NAME: DB.name,
      WORDPRESS_CONFIG_EXTRA: FOLLOW_REQUEST_HOST,
    })
    .withNetworkMode(plan.network)
    .withExposedPorts(80)
    .withWaitStrategy(new ContainerRunning());
  return plan.filesVolume ? container.withBindMounts([{ source: plan.filesVolume, target: SITE_DIR }]) : container;
}

export async function siteUrl(stack: Stack, site: SiteServices = HARNESS_SITE): Promise<string> {
  const { host, port } = await stack.endpoint(site.web, 80);
  return `http://${host}:${port}`;
}

/** A file placed in wp-content, as a user's plugin would be; it prints its token when fetched. */
export const PLUGIN_PATH = '/wp-content/plugins/harness-marker/harness-marker.php';

/** What the plugin file prints when it is served. */
export function pluginMarker(token: string): string {
  return `harness-marker:${token}`;
}

export async function addPlugin(stack: Stack, token: string, site: SiteServices = HARNESS_SITE): Promise<void> {
  const content = `<?php\n/*\nPlugin Name: Harness marker\nDescription: Proves that wp-content survives.\n*/\necho '${pluginMarker(token)}';\n`;
  const script = 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod 644 "$1"';
  const placed = await execIn(stack.containerId(site.web), ['sh', '-c', script, 'sh', `${SITE_DIR}${PLUGIN_PATH}`], { stdin: Buffer.from(content) });
  if (placed.exitCode !== 0)
    throw new HarnessError(`Placing the plugin file failed: ${placed.stderr.trim()}.`, 'Check the WordPress image and its files volume.');
}

export interface PostRow {
  id: number;
  title: string;
  type: string;
}

/** The posts' rows as the database has them, or undefined when WordPress's tables are absent. */
export async function readPostRows(stack: Stack, ids: number[], site: SiteServices = HARNESS_SITE): Promise<PostRow[] | undefined> {
  const connection = await connectToDatabase(stack, site, site.login.database);
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

export async function databaseVersion(stack: Stack, site: SiteServices = HARNESS_SITE): Promise<string> {
  const connection = await connectToDatabase(stack, site);
  try {
    const [rows] = await connection.query<mysql2.RowDataPacket[]>('SELECT VERSION() AS version');
    const version = String(rows[0]?.version ?? 'unknown');
    return `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version}`;
  } finally {
    connection.destroy();
  }
}

/** The site's database, over its published port (which changes on every recreate). */
async function connectToDatabase(stack: Stack, site: SiteServices, database?: string): Promise<mysql2.Connection> {
  const { host, port } = await stack.endpoint(site.database, 3306);
  return mysql2.createConnection({
    host,
    port,
    user: site.login.user,
    password: site.login.password,
    ...(database ? { database } : {}),
    connectTimeout: 5_000,
  });
}
