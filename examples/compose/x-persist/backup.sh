#!/bin/sh
# The team's nightly backup: a consistent SQL dump of the notes database.
set -eu
docker compose exec -T notes sqlite3 /var/lib/notes/notes.db .dump > "${BACKUP_DIR:-$PERSIST_BACKUP_DIR}/notes.sql"
