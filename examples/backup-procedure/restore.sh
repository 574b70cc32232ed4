#!/bin/sh
# Restores the nightly dump into a fresh server (persist starts it on a new, empty volume and
# passes it as PERSIST_CONTAINER). One transaction, stopping at the first error: a restore
# that fails leaves nothing half-loaded.
set -eu
docker exec -i "$PERSIST_CONTAINER" pg_restore -U "$PERSIST_DB_USER" -d "$PERSIST_DB_NAME" \
  --exit-on-error --single-transaction < "$PERSIST_BACKUP_DIR/app.dump"
