#!/bin/sh
# Loads the dump into an empty notes service (the app has made its empty database already).
set -eu
docker compose exec -T notes sh -c 'rm -f "$NOTES_DB" && sqlite3 "$NOTES_DB"' < "${BACKUP_DIR:-$PERSIST_BACKUP_DIR}/notes.sql"
