#!/bin/sh
# Our nightly PostgreSQL backup: a compressed custom-format dump of the running server,
# written to the backup folder. persist passes PERSIST_CONTAINER, PERSIST_BACKUP_DIR and the
# database settings (PERSIST_DB_USER, PERSIST_DB_NAME) in the environment.
set -eu
docker exec "$PERSIST_CONTAINER" pg_dump -U "$PERSIST_DB_USER" --format=custom "$PERSIST_DB_NAME" > "$PERSIST_BACKUP_DIR/app.dump"
