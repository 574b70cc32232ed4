#!/bin/sh
# Entrypoint of the rabbitmq stand-in, following the official image's: as root, the data
# directory is handed to the rabbitmq user and the server is exec'd as that user, so that it is
# PID 1 and hears the stop signal itself. The node's name, rabbit@<host name>, and the default
# user from RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS are the server's own doing.
set -e

if [ "${1#rabbitmq}" != "$1" ] && [ "$(id -u)" = '0' ]; then
	if [ "$1" = 'rabbitmq-server' ]; then
		find /var/lib/rabbitmq \! -user rabbitmq -exec chown rabbitmq '{}' +
	fi
	exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$0" "$@"
fi

exec "$@"
