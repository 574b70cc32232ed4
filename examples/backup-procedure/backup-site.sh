#!/bin/sh
# The site's files, archived by a throw-away helper container while the site is stopped
# (quiesce: true). Numeric owners are kept, so the restored files belong to www-data again.
set -eu
docker run --rm --label "$PERSIST_LABEL" \
  -v "$PERSIST_VOLUME":/site:ro -v "$PERSIST_BACKUP_DIR":/backup \
  "$PERSIST_TOOLBOX_IMAGE" tar czf /backup/site.tar.gz -C /site .
