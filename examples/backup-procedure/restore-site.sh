#!/bin/sh
# Unpacks the site archive into the new, empty volume; the site starts on it afterwards.
set -eu
docker run --rm --label "$PERSIST_LABEL" \
  -v "$PERSIST_VOLUME":/site -v "$PERSIST_BACKUP_DIR":/backup:ro \
  "$PERSIST_TOOLBOX_IMAGE" tar xzf /backup/site.tar.gz -C /site
