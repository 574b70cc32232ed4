// Where well-known images keep their data, written as facts read from each image's own Dockerfile
// (or, where the image's build is not public, its maintainers' documentation), each pinned to the
// commit it was read at. The audit uses an entry for an image it cannot read, and beside an image
// it did read, to know data paths that no VOLUME declares (Grafana, Elasticsearch) and VOLUMEs
// that hold no data in the usual setup (Mongo's /data/configdb). Facts only: no text is copied.
import { githubFile as gh } from '../../services/catalogue-entry.ts';
import { SERVICE_NAMES, SERVICES, type ServiceProfile } from '../../services/registry.ts';
import type { CatalogueEntry } from './entry.ts';

/** A service's own entries, judged by its profile. */
const SERVICE_ENTRIES: readonly CatalogueEntry[] = SERVICE_NAMES.flatMap((name) => {
  const profile: ServiceProfile = SERVICES[name];
  return (profile.catalogue ?? []).map((entry) => ({ ...entry, profile: name }));
});

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Images the harness drives itself: in their service folders (src/services/<name>/profile.ts).
  ...SERVICE_ENTRIES,
  // Databases and stores
  {
    repositories: ['mongo'],
    note: 'the entrypoint makes /data/configdb the dbpath only for a config server (--configsvr); a standalone mongod never writes there',
    layouts: [
      {
        volumes: ['/data/db', '/data/configdb'],
        dataPaths: [
          { path: '/data/db', unlessFlag: '--configsvr', flag: '--dbpath' },
          { path: '/data/configdb', whenFlag: '--configsvr', flag: '--dbpath' },
        ],
      },
    ],
    source: gh('docker-library/mongo', '2c69a57b939afb99266e8f97258adb178e9559e0', '8.0/docker-entrypoint.sh'),
  },
  {
    repositories: ['redis/redis-stack', 'redis/redis-stack-server'],
    note: 'the entrypoint starts redis-server with --dir ${REDIS_DATA_DIR} (/data); no VOLUME',
    layouts: [{ volumes: [], env: { REDIS_DATA_DIR: '/data' }, dataPaths: [{ path: '/data', env: 'REDIS_DATA_DIR' }] }],
    source: gh('redis-stack/redis-stack', 'ac9794706d24e720b334b514b8748c1ef41898b9', 'etc/scripts/entrypoint.sh'),
  },
  {
    repositories: ['valkey/valkey'],
    // 7.2 and 8.0 declare VOLUME /data (8.0/debian/Dockerfile at 2f560ad, 7.2/debian at 4a5b2a6); 8.1 and 9.0 no longer do.
    note: 'valkey-server writes to its WORKDIR /data (--dir moves it); started as root, its entrypoint chowns /data to valkey; VOLUME /data up to 8.0 only',
    layouts: [
      { until: '8.0', volumes: ['/data'], workingDir: '/data', dataPaths: [{ path: '/data', flag: '--dir' }] },
      { volumes: [], workingDir: '/data', dataPaths: [{ path: '/data', flag: '--dir' }] },
    ],
    source: gh('valkey-io/valkey-container', 'e5c1d23df529a05a9022ba7260d1553011cbf1ad', '9.0/debian/Dockerfile'),
  },
  {
    repositories: ['getmeili/meilisearch'],
    note: 'WORKDIR /meili_data "should hold all the data related to meilisearch" (its data.ms, dumps, snapshots); MEILI_DB_PATH moves the database; no VOLUME',
    layouts: [{ volumes: [], workingDir: '/meili_data', dataPaths: [{ path: '/meili_data', env: 'MEILI_DB_PATH' }] }],
    source: gh('meilisearch/meilisearch', '683206e140d1ceb46d1fe90aab5b920c6a64f1c3', 'Dockerfile'),
  },
  {
    repositories: ['qdrant/qdrant'],
    note: 'its collections in storage/ under WORKDIR /qdrant (the Dockerfile makes it for a non-root build); QDRANT__STORAGE__STORAGE_PATH moves it; USER "$USER_ID:$USER_ID" with ARG USER_ID=0; no VOLUME',
    layouts: [
      {
        volumes: [],
        workingDir: '/qdrant',
        user: '0:0',
        // Its snapshots (/qdrant/snapshots) are backups made on request, not the collections: not judged as data.
        dataPaths: [{ path: '/qdrant/storage', env: 'QDRANT__STORAGE__STORAGE_PATH' }],
      },
    ],
    source: gh('qdrant/qdrant', 'dc859604aa892dd8b1a971b6e8e85cc1f6955f8b', 'Dockerfile'),
  },
  {
    repositories: ['elasticsearch', 'elasticsearch/elasticsearch'],
    note: 'data in /usr/share/elasticsearch/data, made by the Dockerfile; no VOLUME',
    layouts: [{ volumes: [], workingDir: '/usr/share/elasticsearch', dataPaths: [{ path: '/usr/share/elasticsearch/data' }] }],
    source: gh('elastic/dockerfiles', 'fee99c955058383955d074689a499ffa0ebcf245', 'elasticsearch/Dockerfile'),
  },
  {
    repositories: ['opensearchproject/opensearch'],
    note: 'data in $OPENSEARCH_HOME/data, made by the Dockerfile; no VOLUME',
    layouts: [{ volumes: [], workingDir: '/usr/share/opensearch', dataPaths: [{ path: '/usr/share/opensearch/data' }] }],
    source: gh('opensearch-project/opensearch-build', '4372bf71a2407ae25aa8ec2d86de9b4d2cc22687', 'docker/release/dockerfiles/opensearch.al2023.dockerfile'),
  },
  {
    repositories: ['influxdb'],
    layouts: [
      { until: '1', volumes: ['/var/lib/influxdb'], dataPaths: [{ path: '/var/lib/influxdb' }] },
      { volumes: ['/var/lib/influxdb2', '/etc/influxdb2'], dataPaths: [{ path: '/var/lib/influxdb2' }, { path: '/etc/influxdb2' }] },
    ],
    source: gh('influxdata/influxdata-docker', 'd457cb9363532cbbc8d63ef7d1b065336ef0302d', 'influxdb/2.7/Dockerfile'),
  },
  {
    repositories: ['cassandra'],
    layouts: [{ volumes: ['/var/lib/cassandra'], dataPaths: [{ path: '/var/lib/cassandra' }] }],
    source: gh('docker-library/cassandra', '7b9da8f4f58f48af79feb0fc2f7a1e2c639965f1', '4.0/Dockerfile'),
  },
  {
    repositories: ['couchdb', 'apache/couchdb'],
    layouts: [{ volumes: ['/opt/couchdb/data'], dataPaths: [{ path: '/opt/couchdb/data' }] }],
    source: gh('apache/couchdb-docker', '4c82ee090d6299c27616f30d93c9622f769431dd', 'dev/Dockerfile'),
  },
  {
    repositories: ['neo4j'],
    layouts: [{ volumes: ['/data', '/logs'], dataPaths: [{ path: '/data' }] }],
    source: gh('neo4j/docker-neo4j-publish', 'a9a15fb56de488a4d311a8ba385e20e1e7713918', '2025.01.0/bullseye/community/Dockerfile'),
  },
  {
    repositories: ['clickhouse/clickhouse-server', 'yandex/clickhouse-server'],
    layouts: [{ volumes: ['/var/lib/clickhouse'], dataPaths: [{ path: '/var/lib/clickhouse' }] }],
    source: gh('ClickHouse/ClickHouse', '503a9f31c885da2caedc7070c6b228d49a550bf0', 'docker/server/Dockerfile.ubuntu'),
  },
  {
    repositories: ['mssql/server'],
    note: "the image keeps databases under /var/opt/mssql (data, log, secrets); its build is not public: read from the maintainers' container repository",
    layouts: [{ volumes: [], dataPaths: [{ path: '/var/opt/mssql' }] }],
    source: gh('microsoft/mssql-docker', 'd7e572d6c8b761ec855c9337a08e0d88b0a5002a', 'linux/preview/CentOS/Dockerfile'),
  },
  {
    repositories: ['eclipse-mosquitto'],
    layouts: [{ volumes: ['/mosquitto/data', '/mosquitto/log'], dataPaths: [{ path: '/mosquitto/data' }] }],
    source: gh('eclipse/mosquitto', 'fb9b1153924ae0e2dfb3bcb4266ee5bb49a5c515', 'docker/2.0-openssl/Dockerfile'),
  },
  {
    repositories: ['zookeeper'],
    layouts: [
      {
        volumes: ['/data', '/datalog', '/logs'],
        env: { ZOO_DATA_DIR: '/data', ZOO_DATA_LOG_DIR: '/datalog' },
        dataPaths: [
          { path: '/data', env: 'ZOO_DATA_DIR' },
          { path: '/datalog', env: 'ZOO_DATA_LOG_DIR' },
        ],
      },
    ],
    source: gh('31z4/zookeeper-docker', '52a83649bc332b3324e0f0ecd96a1c88b2793022', '3.9.4/Dockerfile'),
  },
  {
    repositories: ['hashicorp/consul', 'consul'],
    layouts: [{ volumes: ['/consul/data'], dataPaths: [{ path: '/consul/data' }] }],
    source: gh('hashicorp/docker-consul', 'aedd0844f06e9eac9c4e130206219b1ff044a8c4', '0.X/Dockerfile'),
  },
  {
    repositories: ['hashicorp/vault', 'vault'],
    note: "/vault/file is the file storage backend's folder; a server with other storage keeps nothing there",
    layouts: [{ volumes: ['/vault/logs', '/vault/file'], dataPaths: [{ path: '/vault/file' }] }],
    source: gh('hashicorp/docker-vault', 'ed323958b3c65c551e88424fd7352d99afe900ac', '0.X/Dockerfile'),
  },
  {
    repositories: ['minio/minio'],
    layouts: [{ volumes: ['/data'], dataPaths: [{ path: '/data' }] }],
    source: gh('minio/minio', '7aac2a2c5b7c882e68c1ce017d8256be2feea27f', 'Dockerfile'),
  },
  {
    repositories: ['registry', 'distribution/distribution'],
    layouts: [{ volumes: ['/var/lib/registry'], dataPaths: [{ path: '/var/lib/registry' }] }],
    source: gh('distribution/distribution-library-image', 'a829ed8cbcd822f50c3c4dfb1c3a5b4fcf8108f1', 'Dockerfile'),
  },
  // Monitoring
  {
    repositories: ['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise'],
    note: 'GF_PATHS_DATA=/var/lib/grafana (its SQLite database and plugins); no VOLUME; USER "$GF_UID" (ARG GF_UID="472")',
    layouts: [
      {
        volumes: [],
        env: { GF_PATHS_DATA: '/var/lib/grafana' },
        workingDir: '/usr/share/grafana',
        user: '472',
        dataPaths: [{ path: '/var/lib/grafana', env: 'GF_PATHS_DATA' }],
      },
    ],
    source: gh('grafana/grafana', '78515af65f036f536c4ab2e6fdb5484552f99f1f', 'Dockerfile'),
  },
  {
    repositories: ['prom/prometheus', 'prometheus/prometheus'],
    layouts: [{ volumes: ['/prometheus'], workingDir: '/prometheus', dataPaths: [{ path: '/prometheus', flag: '--storage.tsdb.path' }] }],
    source: gh('prometheus/prometheus', 'b5c61f3e9a36ed399da703f2ca4c9771db78c328', 'Dockerfile'),
  },
  {
    repositories: ['prom/alertmanager', 'prometheus/alertmanager', 'quay.io/prometheus/alertmanager'],
    // --storage.path's built-in default is data/ (cmd/alertmanager/main.go), under the WORKDIR: a command without the flag keeps its data in the anonymous /alertmanager volume.
    note: 'VOLUME /alertmanager, WORKDIR /alertmanager, USER nobody; its CMD sets --storage.path=/alertmanager',
    layouts: [
      {
        volumes: ['/alertmanager'],
        workingDir: '/alertmanager',
        user: 'nobody',
        cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
        dataPaths: [{ path: '/alertmanager/data', flag: '--storage.path' }],
      },
    ],
    source: gh('prometheus/alertmanager', 'f297445b88169a3e5163bdca1e241b23d25d144c', 'Dockerfile'),
  },
  {
    repositories: ['louislam/uptime-kuma'],
    note: 'its SQLite database is in /app/data (the maintainers run it with -v uptime-kuma:/app/data); no VOLUME',
    layouts: [{ volumes: [], workingDir: '/app', dataPaths: [{ path: '/app/data' }] }],
    source: gh('louislam/uptime-kuma', '6398a9581d1c3c427a7536559f47ccf45dac08b4', 'README.md'),
  },
  // Applications that keep files
  {
    repositories: ['nextcloud'],
    layouts: [{ volumes: ['/var/www/html'], workingDir: '/var/www/html', dataPaths: [{ path: '/var/www/html' }] }],
    source: gh('nextcloud/docker', '4de1eed65a44c61ecce601ef1d27abd2059b52e6', '32/apache/Dockerfile'),
  },
  {
    repositories: ['ghost'],
    layouts: [
      {
        volumes: ['/var/lib/ghost/content'],
        env: { GHOST_CONTENT: '/var/lib/ghost/content' },
        workingDir: '/var/lib/ghost',
        dataPaths: [{ path: '/var/lib/ghost/content' }],
      },
    ],
    source: gh('docker-library/ghost', '7edb45d66a15a005368ac6e9cea640854c860c44', '6/alpine3.23/Dockerfile'),
  },
  {
    repositories: ['gitea/gitea'],
    layouts: [{ volumes: ['/data'], env: { GITEA_CUSTOM: '/data/gitea' }, dataPaths: [{ path: '/data' }] }],
    source: gh('go-gitea/gitea', '5939e0590b6fc157e17f3e8928b721c2e63f0530', 'Dockerfile'),
  },
  {
    repositories: ['gitlab/gitlab-ce', 'gitlab/gitlab-ee'],
    layouts: [
      {
        volumes: ['/etc/gitlab', '/var/opt/gitlab', '/var/log/gitlab'],
        dataPaths: [{ path: '/var/opt/gitlab' }, { path: '/etc/gitlab' }],
      },
    ],
    source: gh('gitlabhq/omnibus-gitlab', '820721849b331638042e8d2a72c04ac4173a7969', 'docker/Dockerfile'),
  },
  {
    repositories: ['dpage/pgadmin4'],
    layouts: [{ volumes: ['/var/lib/pgadmin'], dataPaths: [{ path: '/var/lib/pgadmin' }] }],
    source: gh('pgadmin-org/pgadmin4', 'bc58657d3d3ab4209cdadea6d191b632cf1572cc', 'Dockerfile'),
  },
  {
    repositories: ['keycloak/keycloak', 'jboss/keycloak'],
    note: 'the built-in dev database (start-dev) is under /opt/keycloak/data; a server on an external database keeps nothing there; no VOLUME',
    layouts: [{ volumes: [], dataPaths: [{ path: '/opt/keycloak/data' }] }],
    source: gh('keycloak/keycloak', '1842fa971e242fde72bf973df44f6d5ae84edb2c', 'quarkus/container/Dockerfile'),
  },
  {
    repositories: ['mattermost/mattermost-team-edition', 'mattermost/mattermost-enterprise-edition'],
    layouts: [
      {
        volumes: ['/mattermost/data', '/mattermost/logs', '/mattermost/config', '/mattermost/plugins', '/mattermost/client/plugins'],
        workingDir: '/mattermost',
        dataPaths: [{ path: '/mattermost/data' }, { path: '/mattermost/config' }, { path: '/mattermost/plugins' }, { path: '/mattermost/client/plugins' }],
      },
    ],
    source: gh('mattermost/mattermost', '83ca2bfd2388fca44e286ddcac01e5ff66cb54a3', 'server/build/Dockerfile'),
  },
  {
    repositories: ['portainer/portainer-ce', 'portainer/portainer-ee', 'portainer/portainer'],
    layouts: [{ volumes: ['/data'], dataPaths: [{ path: '/data' }] }],
    source: gh('portainer/portainer', 'cc75167437c013a24d12f97d2e07c8468448cc35', 'build/linux/Dockerfile'),
  },
  {
    repositories: ['vaultwarden/server'],
    layouts: [{ volumes: ['/data'], dataPaths: [{ path: '/data' }] }],
    source: gh('dani-garcia/vaultwarden', '46d71107f5094460dd5ecbe1dbac6e6c71e5189a', 'docker/Dockerfile.alpine'),
  },
  {
    repositories: ['pihole/pihole'],
    note: 'its databases and configuration are in /etc/pihole (the maintainers mount ./etc-pihole there); no VOLUME',
    layouts: [{ volumes: [], dataPaths: [{ path: '/etc/pihole' }] }],
    source: gh('pi-hole/docker-pi-hole', 'dd91b4847d97f0aac68bfefd1c108ed0627e6c68', 'README.md'),
  },
  {
    repositories: ['homeassistant/home-assistant', 'home-assistant/home-assistant'],
    layouts: [{ volumes: ['/config'], dataPaths: [{ path: '/config' }] }],
    source: gh('home-assistant/core', '137309af84f52f5cc24c22e27986c2aa10de9c77', 'Dockerfile'),
  },
  {
    repositories: ['linuxserver/*'],
    note: 'every linuxserver.io image keeps its state in /config (plex, sonarr and jellyfin read as witnesses)',
    layouts: [{ volumes: ['/config'], dataPaths: [{ path: '/config' }] }],
    source: gh('linuxserver/docker-plex', '65208dd407d8c91d65444663e19dd30da1324aa3', 'Dockerfile'),
  },
  {
    repositories: ['jenkins/jenkins'],
    layouts: [{ volumes: ['/var/jenkins_home'], env: { JENKINS_HOME: '/var/jenkins_home' }, dataPaths: [{ path: '/var/jenkins_home', env: 'JENKINS_HOME' }] }],
    source: gh('jenkinsci/docker', 'ab3f5e0a80d666b1d554c2b7cad38b5c5ee35f1c', 'debian/Dockerfile'),
  },
  {
    repositories: ['sonatype/nexus3'],
    layouts: [{ volumes: ['/nexus-data'], env: { NEXUS_DATA: '/nexus-data' }, dataPaths: [{ path: '/nexus-data' }] }],
    source: gh('sonatype/docker-nexus3', '7b38e1c8a0e8ecd741887babfece4b3c21f9926e', 'Dockerfile'),
  },
  {
    repositories: ['sonarqube'],
    layouts: [
      {
        volumes: ['/opt/sonarqube/data', '/opt/sonarqube/extensions', '/opt/sonarqube/logs', '/opt/sonarqube/temp'],
        dataPaths: [{ path: '/opt/sonarqube/data' }, { path: '/opt/sonarqube/extensions' }],
      },
    ],
    source: gh('SonarSource/docker-sonarqube', 'df5a6ae20bb7ce8e464d6895178e763c77a6a402', 'community-build/Dockerfile'),
  },
  // Keep nothing of their own: a mount is configuration, a loss is nothing.
  {
    repositories: ['traefik'],
    note: 'keeps nothing unless an ACME resolver stores certificates: then the file given by --certificatesresolvers.NAME.acme.storage (acme.json)',
    layouts: [{ volumes: [], dataPaths: [{ path: '', flagPattern: '^--certificatesresolvers\\.[^.]+\\.acme\\.storage$' }] }],
    source: gh('traefik/traefik', 'f8075b79d7ccf71fa07b07e21f4fc84bcf0ccb55', 'docs/content/https/acme.md'),
  },
  {
    repositories: ['memcached'],
    note: 'an in-memory cache: keeps nothing on disk',
    layouts: [{ volumes: [], dataPaths: [] }],
    source: gh('docker-library/memcached', '53ac0ecb0bf88b471a0110f8996ce791baf1a667', '1/debian/Dockerfile'),
  },
  {
    repositories: ['adminer'],
    note: 'a database client served by PHP: keeps nothing',
    layouts: [{ volumes: [], workingDir: '/var/www/html', dataPaths: [] }],
    source: gh('TimWolla/docker-adminer', '7088bf0e2003398930eed5ea00032b61aa3b55cb', '4/Dockerfile'),
  },
];
