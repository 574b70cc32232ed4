// The version an image says it is, read from its configuration alone: what the terminal and the
// report name beside each service, so a verdict that rests on a floating tag shows what the tag
// meant today.

/**
 * The variables official images set to their software's version, most specific first. Helpers
 * they also carry (GOSU_VERSION, JSYAML_VERSION) are not the service's version.
 */
const VERSION_VARIABLES = [
  'PG_VERSION',
  'PG_MAJOR',
  'MARIADB_VERSION',
  'MYSQL_VERSION',
  'MYSQL_MAJOR',
  'REDIS_VERSION',
  'MONGO_VERSION',
  'WORDPRESS_VERSION',
  'NGINX_VERSION',
  'RABBITMQ_VERSION',
  'ELASTIC_VERSION',
  'NEXTCLOUD_VERSION',
] as const;

const OCI_VERSION_LABEL = 'org.opencontainers.image.version';

/** The OCI version label where the image has one, else the first version variable it sets. */
export function announcedVersion(labels: Readonly<Record<string, string>>, env: Readonly<Record<string, string>>): string | undefined {
  const label = labels[OCI_VERSION_LABEL]?.trim();
  if (label) return label;
  const name = VERSION_VARIABLES.find((variable) => env[variable]?.trim());
  return name ? env[name]?.trim() : undefined;
}
