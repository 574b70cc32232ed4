#!/bin/bash
# backup-volumes.sh: the tutorial's rotating backup script, unchanged in what it does. Its
# settings can come from the environment so that the harness (or you) can point it elsewhere;
# the defaults are the tutorial's own.
#   BACKUP_DIR      where archives go                  (default /backup/docker-volumes)
#   BACKUP_VOLUMES  the volumes, separated by spaces   (default: postgres-data app-config user-uploads)
#   BACKUP_IMAGE    the helper image with tar          (default alpine)
#   BACKUP_LABEL    a label for the helper containers  (default none; the harness passes its run label)
#   KEEP_DAYS       find -mtime +KEEP_DAYS is deleted  (default 7)

BACKUP_DIR="${BACKUP_DIR:-/backup/docker-volumes}"
DATE=$(date +%Y%m%d_%H%M%S)
BACKUP_IMAGE="${BACKUP_IMAGE:-alpine}"
KEEP_DAYS="${KEEP_DAYS:-7}"

# Create backup directory
mkdir -p "$BACKUP_DIR"

# List of volumes to backup
if [ -n "${BACKUP_VOLUMES:-}" ]; then
    read -r -a VOLUMES <<< "$BACKUP_VOLUMES"
else
    VOLUMES=("postgres-data" "app-config" "user-uploads")
fi
LABEL_ARGS=()
if [ -n "${BACKUP_LABEL:-}" ]; then LABEL_ARGS=(--label "$BACKUP_LABEL"); fi

for volume in "${VOLUMES[@]}"; do
    echo "Backing up volume: $volume"

    docker run --rm "${LABEL_ARGS[@]}" \
        -v "$volume":/data \
        -v "$BACKUP_DIR":/backup \
        "$BACKUP_IMAGE" tar czf "/backup/${volume}_${DATE}.tar.gz" /data

    echo "Backup completed: ${volume}_${DATE}.tar.gz"
done

# Clean up old backups (keep last 7 days)
find "$BACKUP_DIR" -name "*.tar.gz" -mtime +"$KEEP_DAYS" -delete

echo "Backup process completed!"
